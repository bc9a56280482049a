import type { ConnectionStatus } from "../net/reconnectingSocket";
import { useNow } from "../hooks/useNow";

interface ConnectionBadgeProps {
  status: ConnectionStatus;
  onRetry?: () => void;
}

/** Says plainly whether the page is live, and when it tries again if not. */
export function ConnectionBadge({ status, onRetry }: ConnectionBadgeProps) {
  const now = useNow(250, status.phase === "reconnecting");
  let text: string;
  let tone: string;
  switch (status.phase) {
    case "open":
      text = "connected";
      tone = "ok";
      break;
    case "connecting":
      text = status.attempt ? `connecting (attempt ${status.attempt + 1})…` : "connecting…";
      tone = "warn";
      break;
    case "reconnecting": {
      const wait_s = Math.max(0, Math.ceil(((status.retry_at_ms ?? now) - now) / 1000));
      text = `connection lost, reconnecting in ${wait_s} s`;
      tone = "bad";
      break;
    }
    default:
      text = status.reason ? `disconnected: ${status.reason}` : "disconnected";
      tone = "bad";
  }
  return (
    <div className={`connection connection-${tone}`} data-testid="connection-state" role="status">
      <span className="dot" aria-hidden="true" />
      <span data-phase={status.phase}>{text}</span>
      {status.phase === "reconnecting" && onRetry && (
        <button type="button" className="link-button" onClick={onRetry}>
          retry now
        </button>
      )}
    </div>
  );
}
