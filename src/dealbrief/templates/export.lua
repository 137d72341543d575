-- dealbrief's converter: one long-lived `pandoc lua` process turns many Markdown documents into Typst.
-- Reads one JSON request per line on stdin, answers one line on stdout ("ok" or "error: …").
-- Request: {"markdown": path, "output": path, "template": path, "title": md, "subtitle": md, "variables": {…}}
-- Deal text arrives as escaped Markdown and leaves as escaped Typst; variables hold only our own values.

-- Raw HTML/TeX/attributes, citations and maths are off: deal text can never become code.
local READER = "markdown-raw_html-raw_tex-raw_attribute-citations-tex_math_dollars"
  .. "-tex_math_single_backslash-tex_math_double_backslash-latex_macros-native_divs-native_spans"

local templates = {}

-- Title and subtitle are one line each (deal text arrives with its whitespace folded), so they are read
-- with the body as its first two paragraphs: one pandoc.read per document instead of three.
local function convert(request)
  local file = assert(io.open(request.markdown, "r"))
  local doc = pandoc.read(request.title .. "\n\n" .. request.subtitle .. "\n\n" .. file:read("a"), READER)
  file:close()
  local title, subtitle = doc.blocks:remove(1), doc.blocks:remove(1)
  assert(title and title.t == "Para" and subtitle and subtitle.t == "Para", "title and subtitle must be one paragraph each")
  doc.meta.title = pandoc.MetaInlines(title.content)
  doc.meta.subtitle = pandoc.MetaInlines(subtitle.content)
  if not templates[request.template] then
    local source = assert(io.open(request.template, "r"))
    templates[request.template] = pandoc.template.compile(source:read("a"), request.template)
    source:close()
  end
  local typst = pandoc.write(doc, "typst", {template = templates[request.template], variables = request.variables})
  local out = assert(io.open(request.output, "w"))
  out:write(typst)
  out:close()
end

for line in io.lines() do
  local ok, err = pcall(function() convert(pandoc.json.decode(line, false)) end)
  io.write(ok and "ok\n" or ("error: " .. tostring(err):gsub("\n", " ") .. "\n"))
  io.flush()
end
