// Package desktop owns the facades the desktop window is bound to (Auth,
// Library, Generator, Templates, Player, Settings, Server): thin,
// goroutine-safe adapters from the frontend's calls to the backend services,
// every method returning (T, error) so that a failure reaches the frontend
// as a rejected promise with a readable message. It also owns the desktop
// session (who is logged in), the LAN server's start and stop, and the small
// Runtime interface behind which the Wails runtime (events, dialogs) sits,
// so that nothing here needs a running window to be tested.
package desktop
