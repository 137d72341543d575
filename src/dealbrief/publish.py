"""Put a newly built site in the place of the old one in one step, so that a reader, a web server or a
killed build always finds a whole site there: the previous one or the new one, never part of either.

A build writes into a folder of its own beside the site (:func:`building_folder`); :func:`publish`
then exchanges the two folders with one ``renameat2(RENAME_EXCHANGE)`` (Linux; ``renamex_np`` on
macOS), and deletes the old one.  When ``site/`` is a symbolic link (to a folder a web server serves),
the folder it points to is the one replaced, and the link stays.  A file system that cannot exchange
two folders gets two renames and a warning; a mount point (which cannot be renamed) gets the new site
copied into it, with a warning.
"""

from __future__ import annotations

import ctypes
import errno
import os
import secrets
import shutil
import sys
from collections.abc import Callable
from pathlib import Path

BUILDING, OLD = ".building-", ".old-"


def target(site: Path) -> Path:
    """The folder that holds the site: ``site`` itself, or the folder it links to."""
    return Path(os.path.realpath(site)) if site.is_symlink() else site.absolute()


def building_folder(site: Path) -> Path:
    """A fresh folder beside the site's own, on the same file system, for one build to write into."""
    where = target(site)
    return where.with_name(f"{where.name}{BUILDING}{os.getpid()}-{secrets.token_hex(3)}")


def leftovers(site: Path) -> list[Path]:
    """Folders a killed or failed build left beside the site."""
    where = target(site)
    return sorted(p for marker in (BUILDING, OLD) for p in where.parent.glob(f"{where.name}{marker}*") if p.is_dir())


def remove(folder: Path) -> str | None:
    """Delete ``folder``; why it could not be deleted (a warning, never a failure: the next build uses new names)."""
    problems: list[str] = []

    def note(function: object, path: str, error: object) -> None:
        problems.append(f"{path}: {error[1] if isinstance(error, tuple) else error}")

    if sys.version_info >= (3, 12):
        shutil.rmtree(folder, onexc=note)
    else:
        shutil.rmtree(folder, onerror=note)
    if problems and folder.exists():
        return f"could not delete {folder} ({problems[0]}); delete it by hand when you can"
    return None


def publish(building: Path, site: Path, checkpoint: Callable[[str], None] = lambda step: None) -> list[str]:
    """Make ``building`` the site; return warnings (an old site that could not be deleted, a file system that cannot swap)."""
    where, warnings = target(site), list[str]()
    checkpoint("before-swap")
    if not where.exists():
        os.rename(building, where)
        return warnings
    if os.path.ismount(where):  # a mounted folder (a container's volume) cannot be renamed: its content is replaced
        warnings.append(f"{where} is a mount point: the new site was copied into it, not swapped in one step")
        _copy_into(building, where)
        return warnings
    if not _exchange(building, where):
        old = where.with_name(f"{where.name}{OLD}{os.getpid()}-{secrets.token_hex(3)}")
        warnings.append(f"this file system cannot swap two folders in one step: {where} was replaced by two renames")
        os.rename(where, old)
        checkpoint("between-renames")
        os.rename(building, where)
        building = old
    checkpoint("after-swap")
    if why := remove(building):
        warnings.append(why)
    return warnings


def _copy_into(building: Path, where: Path) -> None:
    for item in where.iterdir():
        if item.is_dir() and not item.is_symlink():
            shutil.rmtree(item)
        else:
            item.unlink()
    shutil.copytree(building, where, dirs_exist_ok=True, symlinks=True)
    shutil.rmtree(building, ignore_errors=True)


def _exchange(first: Path, second: Path) -> bool:
    """Swap two paths atomically; False where the system or file system cannot."""
    libc = ctypes.CDLL(None, use_errno=True)
    if sys.platform == "darwin" and hasattr(libc, "renamex_np"):
        done = libc.renamex_np(os.fsencode(first), os.fsencode(second), 0x2)  # RENAME_SWAP
    elif hasattr(libc, "renameat2"):
        done = libc.renameat2(-100, os.fsencode(first), -100, os.fsencode(second), 0x2)  # AT_FDCWD, RENAME_EXCHANGE
    else:
        return False
    if done == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP):
        return False
    raise OSError(code, os.strerror(code), str(second))
