-- dealbrief's converter: one long-lived `pandoc lua` process turns many Markdown documents into Typst.
-- Reads one JSON request per line on stdin, answers one line on stdout ("ok" or "error: …").
-- Request: {"markdown": path, "output": path, "template": path, "title": md, "subtitle": md, "variables": {…}}
-- Deal text arrives as escaped Markdown and leaves as escaped Typst; variables hold only our own values.

-- CommonMark, with what our templates write (pipe tables, task lists, a lone image as a figure, typographic quotes):
-- half the time of pandoc's own Markdown reader. Raw HTML is off: deal text can never become code (and there is no
-- raw TeX, attribute syntax, citation or maths in CommonMark to begin with).
local READER = "commonmark-raw_html+pipe_tables+task_lists+implicit_figures+smart"

-- A pipe table with a line wider than the reader's columns (80) takes the page's width, as in pandoc's Markdown.
local COLUMNS = pandoc.ReaderOptions({}).columns

local templates = {}

-- The column widths of each pipe table in `markdown`, in order: a wide table shares the page as its separator line's
-- cells are long (`|:-----|--:|`), as pandoc's Markdown reader does; a narrow one (false) keeps its columns' natural
-- widths. The CommonMark reader leaves every width to the writer, so a template's layout would depend on the text.
local function pipe_table_widths(markdown)
  local lines, found = {}, {}
  for line in (markdown .. "\n"):gmatch("(.-)\n") do
    lines[#lines + 1] = line
  end
  for i = 1, #lines - 1 do
    local header, separator = lines[i], lines[i + 1]
    local starts = header:sub(1, 1) == "|" and (i == 1 or lines[i - 1]:sub(1, 1) ~= "|")
    if starts and separator:match("^|[|:%- ]*$") and separator:find("-", 1, true) then
      local longest, j = 0, i
      while lines[j] and lines[j]:sub(1, 1) == "|" do
        longest = math.max(longest, pandoc.layout.real_length(lines[j]))  -- as displayed: a CJK character is 2
        j = j + 1
      end
      local cells, total = {}, 0
      for cell in separator:gmatch("[^|]+") do
        local dashes = #cell:gsub(" ", "")
        cells[#cells + 1], total = dashes, total + dashes
      end
      for k, dashes in ipairs(cells) do
        cells[k] = dashes / total
      end
      found[#found + 1] = longest > COLUMNS and cells
    end
  end
  return found
end

-- Typst reads `=`, `-`, `+`, `/` and `1.` as markup at the start of any content block (a list item, a table cell,
-- `#strong[…]`), not only at a line's start where pandoc's writer escapes them, and `-?` as a soft hyphen anywhere:
-- escaped, they print as written. Only the first word of each run of text is looked at, and every word only when the
-- document has a `-?` at all: a filter that visits every word costs pandoc half as much again.
local function escaped_start(text)
  local head, rest = text:match("^([=+/%-])(.*)$")
  if head then
    return {pandoc.RawInline("typst", "\\" .. head), pandoc.Str(rest)}
  end
  local digits, after = text:match("^(%d+)%.(.*)$")
  if digits then
    return {pandoc.Str(digits), pandoc.RawInline("typst", "\\."), pandoc.Str(after)}
  end
end

local STARTS = {
  Inlines = function(inlines)
    local first = inlines[1]
    local escaped = first and first.t == "Str" and escaped_start(first.text)
    if escaped then
      inlines:remove(1)
      for k = #escaped, 1, -1 do
        inlines:insert(1, escaped[k])
      end
      return inlines
    end
  end,
}

local SOFT_HYPHENS = {
  Str = function(str)
    local text, out, from = str.text, {}, 1
    for at in text:gmatch("()%-%?") do
      out[#out + 1], out[#out + 2], from = pandoc.Str(text:sub(from, at)), pandoc.RawInline("typst", "\\?"), at + 2
    end
    if from > 1 then
      out[#out + 1] = pandoc.Str(text:sub(from))
      return out
    end
  end,
}

-- The tables' widths and the escapes above in one pass over the document. A template whose tables the scan and pandoc
-- count differently (a table without leading pipes, one indented in a list) gets natural widths everywhere rather than
-- one table's widths on another: the pass is redone on the document as read, escapes only.
local function typeset(doc, widths, source)
  local tables = 0
  local walked = doc:walk({
    Inlines = STARTS.Inlines,
    Table = function(table)
      tables = tables + 1
      local shares = widths[tables]
      if shares and #shares == #table.colspecs then
        for k, spec in ipairs(table.colspecs) do
          spec[2] = shares[k]
        end
      end
      return table
    end,
  })
  if tables ~= #widths then
    walked = doc:walk(STARTS)
  end
  return source:find("-\\?", 1, true) and walked:walk(SOFT_HYPHENS) or walked
end

-- Title and subtitle are one line each (deal text arrives with its whitespace folded), so they are read
-- with the body as its first two paragraphs: one pandoc.read per document instead of three.
local function convert(request)
  local file = assert(io.open(request.markdown, "r"))
  local body = file:read("a")
  file:close()
  local doc = pandoc.read(request.title .. "\n\n" .. request.subtitle .. "\n\n" .. body, READER)
  local title, subtitle = doc.blocks:remove(1), doc.blocks:remove(1)
  assert(title and title.t == "Para" and subtitle and subtitle.t == "Para", "title and subtitle must be one paragraph each")
  doc.meta.title = pandoc.MetaInlines(title.content)
  doc.meta.subtitle = pandoc.MetaInlines(subtitle.content)
  doc = typeset(doc, pipe_table_widths(body), request.title .. request.subtitle .. body)
  if not templates[request.template] then
    local source = assert(io.open(request.template, "r"))
    templates[request.template] = pandoc.template.compile(source:read("a"), request.template)
    source:close()
  end
  -- Paragraphs as one line each: Typst reads a line break as a space, and pandoc no longer lays out the source.
  local options = {template = templates[request.template], variables = request.variables, wrap_text = "none"}
  local typst = pandoc.write(doc, "typst", options)
  local out = assert(io.open(request.output, "w"))
  out:write(typst)
  out:close()
end

for line in io.lines() do
  local ok, err = pcall(function() convert(pandoc.json.decode(line, false)) end)
  io.write(ok and "ok\n" or ("error: " .. tostring(err):gsub("\n", " ") .. "\n"))
  io.flush()
end
