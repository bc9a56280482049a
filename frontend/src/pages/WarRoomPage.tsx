import { useState } from "react";
import { Link, Navigate, useNavigate } from "react-router";
import { ActionForm } from "../components/ActionForm";
import { AlertsPanel } from "../components/AlertsPanel";
import { Briefing } from "../components/Briefing";
import { ComponentCharts } from "../components/ComponentCharts";
import { ConnectionBadge } from "../components/ConnectionBadge";
import { GameClock } from "../components/GameClock";
import { LogTail } from "../components/LogTail";
import { ScorePanel } from "../components/ScorePanel";
import { TimelinePanel } from "../components/TimelinePanel";
import { Topology } from "../components/Topology";
import { UserCharts } from "../components/UserCharts";
import { currentGameTime } from "../game/warRoom";
import { useWarRoom } from "../hooks/useWarRoom";
import { clearSession, loadSession } from "../join/session";
import type { JoinSession } from "../protocol/types";

/** The route: a player without a join session goes to the join page first. */
export function WarRoomPage() {
  const [session] = useState(loadSession);
  if (!session) return <Navigate to="/" replace />;
  return <WarRoom session={session} />;
}

function WarRoom({ session }: { session: JoinSession }) {
  const navigate = useNavigate();
  const { state, status, sendAction, reconnectNow } = useWarRoom(session.token);
  const now_s = currentGameTime(state);
  const game = state.game;
  const signals = state.signals;
  const connected = status.phase === "open" && state.welcomed;

  function leave() {
    clearSession();
    navigate("/");
  }

  return (
    <div className="war-room">
      <header className="topbar">
        <div className="topbar-names">
          <span className="brand small">wargame</span>
          <span className="team-name" data-testid="team-name">
            {state.team?.name ?? session.team.name}
          </span>
          <span className="muted">
            {game?.name ?? session.game.name} · {state.player?.name ?? session.player.name}
          </span>
        </div>
        <GameClock
          game_time_s={now_s}
          duration_s={signals?.duration_s || game?.duration_s || null}
          state={game?.state ?? null}
          speed={game?.speed}
        />
        <ConnectionBadge status={status} onRetry={reconnectNow} />
        <button type="button" className="ghost" onClick={leave}>
          Leave
        </button>
      </header>

      {state.refused && (
        <div className="banner banner-bad" role="alert" data-testid="refused">
          The server refused this room: {state.refused}.{" "}
          <Link to="/" onClick={() => clearSession()}>
            Join again
          </Link>
        </div>
      )}
      {status.phase === "reconnecting" && !state.refused && (
        <div className="banner banner-bad" role="alert" data-testid="connection-banner">
          Connection lost. The charts stop until it is back; what was missed is filled in then.
        </div>
      )}
      {state.notice && (
        <div className="banner banner-warn" role="alert">
          {state.notice}
        </div>
      )}
      {game?.state === "lobby" && (
        <div className="banner banner-info">
          Waiting for the facilitator to start the game. Read the briefing.
        </div>
      )}
      {game?.state === "paused" && <div className="banner banner-info">The game is paused.</div>}
      {game?.state === "ended" && <div className="banner banner-info">The game has ended.</div>}

      <div className="room-grid">
        <section className="room-main">
          {game?.state === "lobby" && (
            <section className="panel">
              <h2>Briefing</h2>
              <Briefing markdown={state.briefing} />
            </section>
          )}
          <section className="panel">
            <h2>What users see</h2>
            <UserCharts buffer={state.users} version={state.version} />
          </section>
          <div className="split">
            <section className="panel">
              <h2>Topology</h2>
              {signals && signals.components.length > 0 ? (
                <Topology
                  key={signals.components.map((component) => component.id).join(",")}
                  components={signals.components}
                  error_ratio={signals.users.error_ratio}
                />
              ) : (
                <p className="muted">No components reported yet.</p>
              )}
            </section>
            <section className="panel">
              <h2>
                Alerts firing{" "}
                {signals && signals.alerts.length > 0 && (
                  <span className="count-badge">{signals.alerts.length}</span>
                )}
              </h2>
              <AlertsPanel alerts={signals?.alerts ?? []} />
            </section>
          </div>
          <section className="panel">
            <h2>Components</h2>
            <ComponentCharts
              components={signals?.components ?? []}
              buffers={state.components}
              version={state.version}
            />
          </section>
          <section className="panel">
            <h2>Logs</h2>
            <LogTail logs={state.logs} />
          </section>
        </section>

        <aside className="room-side">
          <section className="panel">
            <h2>Score</h2>
            <ScorePanel score={signals?.score ?? null} />
          </section>
          <section className="panel">
            <h2>Actions</h2>
            {state.catalog.length === 0 && <p className="muted">No actions yet.</p>}
            <div className="actions">
              {state.catalog.map((action) => (
                <ActionForm
                  key={action.action}
                  action={action}
                  connected={connected}
                  gameRunning={game?.state === "running"}
                  sent={state.sent.filter((item) => item.action === action.action)}
                  timeline={state.timeline}
                  now_s={now_s}
                  onSend={sendAction}
                />
              ))}
            </div>
          </section>
          <section className="panel">
            <h2>Timeline</h2>
            <TimelinePanel
              entries={state.timeline}
              events={state.events}
              catalog={state.catalog}
              now_s={now_s}
            />
          </section>
          {game?.state !== "lobby" && (
            <details className="panel">
              <summary>
                <h2>Briefing</h2>
              </summary>
              <Briefing markdown={state.briefing} />
            </details>
          )}
        </aside>
      </div>
    </div>
  );
}
