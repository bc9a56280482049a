import DOMPurify from "dompurify";
import { marked } from "marked";
import { useMemo } from "react";

/** The scenario's briefing: markdown from the server, sanitised before it becomes HTML. */
export function Briefing({ markdown }: { markdown: string }) {
  const html = useMemo(() => {
    const rendered = marked.parse(markdown, { async: false, gfm: true });
    return DOMPurify.sanitize(rendered, { USE_PROFILES: { html: true } });
  }, [markdown]);
  if (!markdown.trim()) return <p className="muted">No briefing for this scenario.</p>;
  return (
    <div className="briefing" data-testid="briefing" dangerouslySetInnerHTML={{ __html: html }} />
  );
}
