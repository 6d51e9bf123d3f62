"""Reading register files: every malformed input gets its own located message, never a traceback."""

from collections.abc import Callable

from conftest import MINIMAL, problems


def test_malformed_yaml_is_located_at_the_offending_character(write: Callable, cli: Callable) -> None:
    write("broken.yaml", "id: x\ntitle: {fi: a, sv: b\nversion: 2025-01-01\n")
    result = cli("check")
    assert result.exit_code == 1
    assert problems(result) == [
        "registers/broken.yaml:3:8: invalid YAML: did not find expected ',' or '}' (while parsing a flow mapping)"
    ]


def test_a_tab_used_for_indentation_is_named(write: Callable, cli: Callable) -> None:
    write("tabs.yaml", "id: x\ncontroller:\n\tname: A\n")
    assert problems(cli("check")) == [
        "registers/tabs.yaml:3:1: a tab character is used for indentation; indent with spaces"
    ]


def test_an_empty_file_is_refused(write: Callable, cli: Callable) -> None:
    write("empty.yaml", "# nothing yet\n\n")
    assert problems(cli("check")) == ["registers/empty.yaml:1:1: the file is empty"]


def test_a_top_level_that_is_not_a_mapping_is_refused(write: Callable, cli: Callable) -> None:
    write("list.yaml", "- id: x\n")
    assert problems(cli("check")) == [
        "registers/list.yaml:1:1: the top level must be a mapping of keys to values (such as 'id: ...')"
    ]


def test_bytes_that_are_not_utf8_are_located(write: Callable, cli: Callable) -> None:
    write("latin1.yaml", "id: x\ntitle: {fi: Asiakasrekisteri}\nretention: S\xe4ilytys\n".encode("latin-1"))
    assert problems(cli("check")) == ["registers/latin1.yaml:3:13: the file is not UTF-8 (byte 0xe4); save it as UTF-8"]


def test_utf16_is_refused_with_the_fix(write: Callable, cli: Callable) -> None:
    write("utf16.yaml", MINIMAL.encode("utf-16"))
    assert problems(cli("check")) == ["registers/utf16.yaml:1:1: the file is UTF-16; save it as UTF-8"]


def test_a_utf8_byte_order_mark_is_accepted(write: Callable, cli: Callable) -> None:
    write("bom.yaml", b"\xef\xbb\xbf" + MINIMAL.encode())
    result = cli("check")
    assert result.exit_code == 0, result.output


def test_windows_line_endings_are_accepted(write: Callable, cli: Callable) -> None:
    write("crlf.yaml", MINIMAL.replace("\n", "\r\n").encode())
    assert cli("check").exit_code == 0


def test_a_nul_byte_is_refused(write: Callable, cli: Callable) -> None:
    write("nul.yaml", b"id: x\ntitle: a\x00b\n")
    assert problems(cli("check")) == [
        "registers/nul.yaml:2:9: the file contains a NUL byte; it is probably not a text file"
    ]


def test_every_duplicate_key_is_an_error_never_last_one_wins(write: Callable, cli: Callable) -> None:
    write("dup.yaml", MINIMAL + "id: other\ncontroller:\n  name: B\n")
    assert problems(cli("check")) == [
        "registers/dup.yaml:19:1: id: duplicate key 'id' (first given on line 1); each key may appear once",
        "registers/dup.yaml:20:1: controller: duplicate key 'controller' (first given on line 4); each key may "
        "appear once",
    ]


def test_aliases_are_refused_so_an_alias_bomb_cannot_explode(write: Callable, cli: Callable) -> None:
    bomb = (
        "a: &a [x, x, x, x, x, x, x, x, x]\n"
        "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
        "c: [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
    )
    write("bomb.yaml", bomb)
    assert problems(cli("check")) == [
        "registers/bomb.yaml:2:8: b[0]: aliases (*a) are not supported; write the value out in full"
    ]


def test_yaml_tags_are_refused(write: Callable, cli: Callable) -> None:
    write("tag.yaml", "id: !!python/object:os.system x\n")
    assert problems(cli("check")) == [
        "registers/tag.yaml:1:5: id: YAML tags (tag:yaml.org,2002:python/object:os.system) are not supported; "
        "write the plain value"
    ]


def test_merge_keys_are_refused(write: Callable, cli: Callable) -> None:
    write("merge.yaml", "controller:\n  <<: {name: A}\n")
    assert problems(cli("check")) == [
        "registers/merge.yaml:2:3: controller: merge keys (<<) are not supported; write the values out in full"
    ]


def test_two_documents_in_one_file_are_refused(write: Callable, cli: Callable) -> None:
    write("two.yaml", MINIMAL + "---\nid: second\n")
    assert problems(cli("check")) == [
        "registers/two.yaml:19:1: the file holds more than one YAML document; keep one register per file"
    ]


def test_a_very_large_file_is_refused_before_parsing(write: Callable, cli: Callable) -> None:
    path = write("large.yaml", MINIMAL + "# " + "x" * (1024 * 1024) + "\n")
    size = path.stat().st_size
    assert problems(cli("check")) == [
        f"registers/large.yaml:1:1: the file is too large ({size:,} bytes; the limit is 1,048,576)"
    ]


def test_deep_nesting_is_refused(write: Callable, cli: Callable) -> None:
    write("deep.yaml", "id: " + "[" * 60 + "]" * 60 + "\n")
    [line] = problems(cli("check"))
    assert line.startswith("registers/deep.yaml:1:45: id[0][0]") and line.endswith(
        "the values are nested more than 40 levels deep"
    )
