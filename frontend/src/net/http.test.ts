import { describe, expect, it } from "vitest";
import { errorFromBody, readCookie } from "./http";

describe("http helpers", () => {
  it("reads Django's csrftoken among other cookies", () => {
    expect(readCookie("csrftoken", "sessionid=abc; csrftoken=t0k%3D; theme=dark")).toBe("t0k=");
    expect(readCookie("csrftoken", "sessionid=abc")).toBeNull();
  });

  it("shows the server's own error text and field", () => {
    const error = errorFromBody(400, { error: "no team has this join code", field: "code" });
    expect(error.message).toBe("no team has this join code");
    expect(error.field).toBe("code");
  });

  it("falls back to plain words when the body says nothing", () => {
    expect(errorFromBody(502, "<html>Bad gateway</html>").message).toMatch(/server failed/);
    expect(errorFromBody(0, null).message).toMatch(/cannot be reached/);
  });
});
