import { useEffect, useState } from "react";

/** The wall clock in ms, refreshed every `every_ms` while `active`. */
export function useNow(every_ms: number, active = true): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    const timer = window.setInterval(() => setNow(Date.now()), every_ms);
    return () => window.clearInterval(timer);
  }, [every_ms, active]);
  return now;
}
