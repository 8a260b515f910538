"""The exception family.

Every error the library raises on bad input is a :class:`NianbaoError` that names the file and the
reason; the command line turns it into one line, the pipeline into a quarantine row.  ``terminal``
errors will fail again on the same bytes (quarantine, do not retry); ``transient`` ones may not
(I/O), so a runner may retry them.
"""

from __future__ import annotations


class NianbaoError(Exception):
    terminal = True

    def __init__(self, reason: str, path: str | None = None):
        self.reason = reason
        self.path = path
        super().__init__(f"{path}: {reason}" if path else reason)

    def with_path(self, path: str) -> NianbaoError:
        if not self.path:
            self.path = str(path)
            self.args = (f"{self.path}: {self.reason}",)
        return self


class UnreadableFile(NianbaoError):
    """The bytes cannot be turned into text or a grid of cells (empty, binary junk, corrupt)."""


class UnsupportedFormat(UnreadableFile):
    """A file type nianbao has no reader for (or whose converter is not installed)."""


class FileTooLarge(UnreadableFile):
    """Over a limit that protects the run: size, pages, decompressed size."""


class NotAReport(NianbaoError):
    """Readable, but not a 政府信息公开工作年度报告."""


class TableNotFound(NotAReport):
    """A report whose table 3 (or other required table) cannot be found: truncated or not a report."""


class TransientError(NianbaoError):
    terminal = False
