"""Bots: players that see only what a player sees, and the policies they follow."""
