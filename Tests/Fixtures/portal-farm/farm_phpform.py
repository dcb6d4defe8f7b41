"""PHP's view of request data: nested form keys, truthiness, arrays in JSON output.

`parse_query("cmd[a]=app.info&OPTIONS[errorHandlerUrl]=x&list[]=1&list[]=2")` gives
`{"cmd": {"a": "app.info"}, "OPTIONS": {"errorHandlerUrl": "x"}, "list": {"0": "1", "1": "2"}}`:
nested keys become dicts with string keys, exactly as PHP builds `$_POST` (a PHP array is a dict).
"""

import json
import re
from urllib.parse import unquote_plus


def parse_query(text):
    """Parses an `application/x-www-form-urlencoded` string the way PHP's parse_str does."""
    result = {}
    if not text:
        return result
    for pair in text.split("&"):
        if not pair:
            continue
        name, _, value = pair.partition("=")
        name = unquote_plus(name)
        value = unquote_plus(value)
        if not name:
            continue
        _assign(result, _split_name(name), value)
    return result


def _split_name(name):
    """`a.b[c][]` -> ["a_b", "c", ""] (PHP turns ' ' and '.' in the base name into '_')."""
    open_at = name.find("[")
    if open_at <= 0 or "]" not in name[open_at:]:
        return [name.replace(" ", "_").replace(".", "_").replace("[", "_")]
    base = name[:open_at].replace(" ", "_").replace(".", "_")
    parts = [base]
    rest = name[open_at:]
    while rest.startswith("["):
        close_at = rest.find("]")
        if close_at < 0:
            break  # PHP ignores an unclosed trailing bracket
        parts.append(rest[1:close_at])
        rest = rest[close_at + 1:]
    return parts


def _assign(target, parts, value):
    for index, part in enumerate(parts):
        last = index == len(parts) - 1
        if part == "" and index > 0:
            part = str(_next_index(target))
        if last:
            target[part] = value
            return
        child = target.get(part)
        if not isinstance(child, dict):
            child = {}
            target[part] = child
        target = child


def _next_index(array):
    numbers = [int(k) for k in array if isinstance(k, str) and k.lstrip("-").isdigit()]
    return max(numbers) + 1 if numbers else 0


def truthy(value):
    """PHP truthiness of a request value: "", "0", 0, false, null and empty arrays are false."""
    if value is None or value is False:
        return False
    if isinstance(value, (int, float)):
        return value != 0
    if isinstance(value, str):
        return value not in ("", "0")
    if isinstance(value, (dict, list)):
        return len(value) > 0
    return bool(value)


def as_dict(value):
    """A PHP array as a dict with string keys (lists get keys "0".."n-1"); scalars give {}."""
    if isinstance(value, dict):
        return value
    if isinstance(value, list):
        return {str(i): v for i, v in enumerate(value)}
    return {}


def php_array(mapping):
    """How json_encode prints a PHP array: keys exactly 0..n-1 in order -> list, else object.

    An empty array is printed as `[]`, which is why empty maps arrive as `[]` from Bitrix24.
    """
    if not mapping:
        return []
    if all(k == str(i) for i, k in enumerate(mapping)):
        return list(mapping.values())
    return mapping


def upper_keys(mapping):
    """`{"placement": …}` -> `{"PLACEMENT": …}` (placement.* and event.* read their keys upper-cased)."""
    return {str(k).upper(): v for k, v in as_dict(mapping).items()}


_CAMEL = re.compile(r"([a-z0-9])([A-Z])")


def upper_snake(mapping):
    """Like upper_keys, and camelCase becomes SNAKE (`langAll` -> `LANG_ALL`, `groupName` -> `GROUP_NAME`)."""
    return {_CAMEL.sub(r"\1_\2", str(k)).upper(): v for k, v in as_dict(mapping).items()}


def encode(document, php_slashes=True):
    """JSON bytes as PHP writes them: ASCII only, and `/` escaped as `\\/` when asked."""
    text = json.dumps(document, separators=(",", ":"))
    if php_slashes:
        text = text.replace("/", "\\/")
    return text.encode("ascii")
