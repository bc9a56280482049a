"""A bot player: a websocket client speaking the browser's protocol.

It sees only what a player sees (the welcome and the frames), asks its policy
what to do about each frame, sends those actions, waits for each to be
acknowledged, then says `ready` for the frame.
"""

import itertools
from collections import deque
from typing import Any, Protocol

from channels.testing import WebsocketCommunicator

RECEIVE_TIMEOUT_S = 60.0


class Policy(Protocol):
    def decide(
        self, frame_signals: dict[str, Any], catalog: list[dict[str, Any]]
    ) -> list[tuple[str, dict[str, Any]]]: ...


class ProtocolError(RuntimeError):
    pass


class BotClient:
    """One bot, one websocket, one team."""

    def __init__(self, communicator: WebsocketCommunicator, policy: Policy) -> None:
        self.communicator = communicator
        self.policy = policy
        self.catalog: list[dict[str, Any]] = []
        self.pending: deque[dict[str, Any]] = deque()
        self.ended = False
        self.action_ids = itertools.count(1)

    async def receive(self) -> dict[str, Any]:
        if self.pending:
            return self.pending.popleft()
        message: dict[str, Any] = await self.communicator.receive_json_from(
            timeout=RECEIVE_TIMEOUT_S
        )
        if message.get("type") == "game" and message["game"]["state"] == "ended":
            self.ended = True
        return message

    async def hello(self, token: str) -> dict[str, Any]:
        await self.communicator.send_json_to({"type": "hello", "token": token})
        welcome = await self.receive()
        if welcome.get("type") != "welcome":
            raise ProtocolError(f"expected welcome, got {welcome}")
        self.catalog = welcome["catalog"]
        if welcome["game"]["state"] == "ended":
            self.ended = True
        return welcome

    async def play(self) -> None:
        """Answer every frame until the game ends."""
        while not self.ended:
            message = await self.receive()
            if message.get("type") == "frame":
                await self.answer(message)

    async def answer(self, frame: dict[str, Any]) -> None:
        for name, params in self.policy.decide(frame["signals"], self.catalog):
            await self.act(name, params)
        if not self.ended:
            await self.communicator.send_json_to({"type": "ready", "seq": frame["seq"]})

    async def act(self, name: str, params: dict[str, Any]) -> dict[str, Any]:
        """Send an action and wait for its ack (or error); other messages wait."""
        client_id = f"bot-{next(self.action_ids)}"
        await self.communicator.send_json_to(
            {"type": "action", "id": client_id, "action": name, "params": params}
        )
        held: list[dict[str, Any]] = []
        while True:
            message: dict[str, Any] = await self.communicator.receive_json_from(
                timeout=RECEIVE_TIMEOUT_S
            )
            if message.get("id") == client_id and message["type"] in ("ack", "error"):
                self.pending.extend(held)
                return message
            if message.get("type") == "game" and message["game"]["state"] == "ended":
                self.ended = True
            held.append(message)
