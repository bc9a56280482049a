import pytest
from django.core.exceptions import ImproperlyConfigured

from wargame.env import env_bool, env_int, env_list


def test_unset_variables_take_their_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("WARGAME_X", raising=False)
    assert env_bool("WARGAME_X", True) is True
    assert env_int("WARGAME_X", 7) == 7
    assert env_list("WARGAME_X", ["a"]) == ["a"]


def test_values_are_read_by_type(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WARGAME_X", " off ")
    assert env_bool("WARGAME_X", True) is False
    monkeypatch.setenv("WARGAME_X", "a.example, b.example,")
    assert env_list("WARGAME_X", []) == ["a.example", "b.example"]


@pytest.mark.parametrize(("reader", "raw"), [(env_bool, "maybe"), (env_int, "eighty")])
def test_unreadable_values_fail_loudly_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch, reader: object, raw: str
) -> None:
    monkeypatch.setenv("WARGAME_X", raw)
    with pytest.raises(ImproperlyConfigured, match="WARGAME_X"):
        reader("WARGAME_X", 0)  # type: ignore[operator]
