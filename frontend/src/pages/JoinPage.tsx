import { useState, type FormEvent } from "react";
import { Link, useNavigate } from "react-router";
import { loadSession, saveSession } from "../join/session";
import { api, errorText } from "../net/http";
import { parseJoinSession } from "../protocol/parse";

/** Join code and display name, then into the team's war room. */
export function JoinPage() {
  const navigate = useNavigate();
  const [code, setCode] = useState("");
  const [name, setName] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [previous] = useState(() => loadSession());

  async function join(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const answer = await api("POST", "/api/join", { code: code.trim(), name: name.trim() });
      const session = parseJoinSession(answer);
      if (!session) throw new Error("The server's answer had no token. Try again.");
      saveSession(session);
      navigate("/room");
    } catch (failure) {
      setError(errorText(failure));
    } finally {
      setBusy(false);
    }
  }

  return (
    <main className="join-page">
      <h1 className="brand">wargame</h1>
      <p className="tagline">Incident game day. Keep the users happy.</p>
      <form className="card join-form" onSubmit={join} data-testid="join-form">
        <label className="field">
          <span>Join code</span>
          <input
            value={code}
            onChange={(event) => setCode(event.target.value.toUpperCase())}
            autoComplete="off"
            autoCapitalize="characters"
            spellCheck={false}
            required
            maxLength={20}
            placeholder="e.g. BLUE-7K3Q"
            className="code-input"
            data-testid="join-code"
          />
        </label>
        <label className="field">
          <span>Your name</span>
          <input
            value={name}
            onChange={(event) => setName(event.target.value)}
            autoComplete="nickname"
            required
            maxLength={40}
            placeholder="shown to your team"
            data-testid="join-name"
          />
        </label>
        {error && (
          <p className="form-error" role="alert" data-testid="join-error">
            {error}
          </p>
        )}
        <button type="submit" className="primary big" disabled={busy} data-testid="join-submit">
          {busy ? "Joining…" : "Join"}
        </button>
      </form>
      {previous && (
        <p className="muted rejoin">
          Already joined as <strong>{previous.player.name}</strong> in team{" "}
          <strong>{previous.team.name}</strong>? <Link to="/room">Back to the war room</Link>
        </p>
      )}
      <p className="muted footer-links">
        <Link to="/facilitator">Facilitator</Link>
      </p>
    </main>
  );
}
