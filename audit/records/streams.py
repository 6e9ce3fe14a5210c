"""Where a command writes records: a binary stream, whatever standard output the caller gave."""

from __future__ import annotations


class TextSink:
    """Bytes written to a text stream (for callers that capture output as text, such as tests)."""

    def __init__(self, stream):
        self.stream = stream

    def write(self, data: bytes) -> None:
        self.stream.write(data.decode("utf-8"))

    def flush(self) -> None:
        self.stream.flush()


def binary_stdout(command_stdout):
    """The byte stream under a management command's ``self.stdout``, or a sink decoding into it."""
    stream = getattr(command_stdout, "_out", command_stdout)
    return getattr(stream, "buffer", None) or TextSink(stream)
