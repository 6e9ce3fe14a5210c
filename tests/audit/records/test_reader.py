"""The reader: JSON Lines of any size, blank lines skipped, a bad line reported where it is."""

import io

from audit.records.reader import read_lines


def test_blank_lines_are_skipped_and_lines_keep_their_numbers(tmp_path):
    path = tmp_path / "r.jsonl"
    path.write_bytes(b'{"kind": "office"}\n\n   \n{"kind": "staff"}\n')
    assert [(line.number, line.record["kind"]) for line in read_lines([str(path)], progress=False)] == \
        [(1, "office"), (4, "staff")]


def test_a_byte_order_mark_at_the_start_is_ignored(tmp_path):
    path = tmp_path / "r.jsonl"
    path.write_bytes(b'\xef\xbb\xbf{"kind": "office"}\n')
    [line] = read_lines([str(path)], progress=False)
    assert line.record == {"kind": "office"}


def test_a_line_that_is_not_a_json_object_comes_with_its_error(tmp_path):
    path = tmp_path / "r.jsonl"
    path.write_bytes(b'{"kind": \n[1, 2]\n\xff\xfe\n')
    lines = list(read_lines([str(path)], progress=False))
    assert [(line.number, line.record, line.error.key) for line in lines] == [(1, None, ""), (2, None, ""),
                                                                              (3, None, "")]
    assert "JSON object" in lines[1].error.message


def test_standard_input_is_read_for_a_dash():
    lines = list(read_lines(["-"], stdin=io.BytesIO(b'{"kind": "office"}\n'), progress=False))
    assert [(line.source, line.number) for line in lines] == [("<stdin>", 1)]
