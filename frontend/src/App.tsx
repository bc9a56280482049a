import { lazy, Suspense } from "react";
import { BrowserRouter, Link, Route, Routes } from "react-router";
import { JoinPage } from "./pages/JoinPage";

// The join page loads first and alone: a hundred phones on hotel wifi fetch the charts and the
// topology code only once they enter a room.
const WarRoomPage = lazy(() =>
  import("./pages/WarRoomPage").then((m) => ({ default: m.WarRoomPage })),
);
const FacilitatorPage = lazy(() =>
  import("./pages/FacilitatorPage").then((m) => ({ default: m.FacilitatorPage })),
);
const LeaderboardPage = lazy(() =>
  import("./pages/LeaderboardPage").then((m) => ({ default: m.LeaderboardPage })),
);

function NotFound() {
  return (
    <main className="join-page">
      <h1 className="brand">wargame</h1>
      <p>
        No page here. <Link to="/">Join a game</Link>
      </p>
    </main>
  );
}

export function App() {
  return (
    <BrowserRouter>
      <Suspense fallback={<main className="join-page muted">Loading…</main>}>
        <Routes>
          <Route path="/" element={<JoinPage />} />
          <Route path="/room" element={<WarRoomPage />} />
          <Route path="/facilitator" element={<FacilitatorPage />} />
          <Route path="/leaderboard/:gameId" element={<LeaderboardPage />} />
          <Route path="*" element={<NotFound />} />
        </Routes>
      </Suspense>
    </BrowserRouter>
  );
}
