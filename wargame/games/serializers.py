from typing import Any

from rest_framework import serializers

from wargame.games import scenarios
from wargame.games.services import SPEED_MAX, SPEED_MIN


class StrictSerializer(serializers.Serializer[Any]):
    """Rejects fields it does not know, so a typo is an error, not a silent no-op."""

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        unknown = (
            set(self.initial_data) - set(self.fields)
            if isinstance(self.initial_data, dict)
            else set()
        )
        if unknown:
            raise serializers.ValidationError({sorted(unknown)[0]: ["unknown field"]})
        return attrs

    def to_internal_value(self, data: Any) -> Any:
        if not isinstance(data, dict):
            raise serializers.ValidationError({"body": ["must be a JSON object"]})
        return super().to_internal_value(data)


class CreateGameSerializer(StrictSerializer):
    scenario = serializers.CharField(max_length=80)
    name = serializers.CharField(max_length=80)
    teams = serializers.ListField(
        child=serializers.CharField(max_length=40), min_length=1, max_length=20
    )
    speed = serializers.FloatField(
        min_value=SPEED_MIN, max_value=SPEED_MAX, default=1.0
    )
    seed = serializers.IntegerField(min_value=0, max_value=2**31 - 1, required=False)

    def validate_scenario(self, value: str) -> str:
        try:
            scenarios.get(value)
        except scenarios.UnknownScenario:
            raise serializers.ValidationError(f"no scenario called {value!r}") from None
        return value


class SpeedSerializer(StrictSerializer):
    speed = serializers.FloatField(min_value=SPEED_MIN, max_value=SPEED_MAX)


class JoinSerializer(StrictSerializer):
    code = serializers.CharField(max_length=20)
    name = serializers.CharField(max_length=64)


class LoginSerializer(StrictSerializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=200, trim_whitespace=False)
