import { useEffect, useRef, useState } from "react";
import { formatGameTime } from "../game/format";
import type { LogLine } from "../protocol/types";

/** The newest log lines at the bottom; it follows them unless the reader scrolled up. */
export function LogTail({ logs }: { logs: LogLine[] }) {
  const box = useRef<HTMLDivElement>(null);
  const [following, setFollowing] = useState(true);
  const [level, setLevel] = useState("all");
  const shown = level === "all" ? logs : logs.filter((line) => line.level === level);

  useEffect(() => {
    const element = box.current;
    if (element && following) element.scrollTop = element.scrollHeight;
  }, [shown.length, following]);

  return (
    <div className="log-tail-wrap">
      <div className="log-controls">
        <label>
          level{" "}
          <select value={level} onChange={(event) => setLevel(event.target.value)}>
            <option value="all">all</option>
            <option value="error">error</option>
            <option value="warning">warning</option>
            <option value="info">info</option>
          </select>
        </label>
        {!following && (
          <button type="button" className="link-button" onClick={() => setFollowing(true)}>
            follow newest
          </button>
        )}
      </div>
      <div
        className="log-tail"
        data-testid="log-tail"
        ref={box}
        onScroll={(event) => {
          const element = event.currentTarget;
          setFollowing(element.scrollHeight - element.scrollTop - element.clientHeight < 24);
        }}
      >
        {shown.length === 0 && <div className="muted">No log lines yet.</div>}
        {shown.map((line, index) => (
          <div key={`${line.game_time_s}-${index}`} className={`log-line log-${line.level}`}>
            <span className="log-time">{formatGameTime(line.game_time_s)}</span>
            <span className="log-component">{line.component}</span>
            <span className="log-level">{line.level}</span>
            <span className="log-text">{line.text}</span>
          </div>
        ))}
      </div>
    </div>
  );
}
