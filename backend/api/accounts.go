package api

import (
	"errors"
	"net/http"

	"podcastfy/backend/auth"
	"podcastfy/backend/store"
)

// loginRequest is the body of POST /auth/login.
type loginRequest struct {
	Username *string `json:"username"`
	Password *string `json:"password"`
}

func (l *loginRequest) check() error {
	switch {
	case l.Username == nil || *l.Username == "":
		return required("username")
	case l.Password == nil || *l.Password == "":
		return required("password")
	}
	return nil
}

func (s *server) login(w http.ResponseWriter, r *http.Request) {
	var req loginRequest
	if err := decodeJSON(w, r, &req); err != nil {
		s.writeError(w, r, err)
		return
	}
	sess, err := s.Accounts.Login(*req.Username, *req.Password, clientAddr(r))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, sess)
}

// meJSON is the answer of GET /me: the user, their private feed URL and
// a QR code of it for a phone's podcast app.
type meJSON struct {
	User       auth.PublicUser `json:"user"`
	FeedURL    string          `json:"feedUrl"`
	FeedQRCode string          `json:"feedQrCode"`
}

// me is the answer about u for the request's address.
func (s *server) me(r *http.Request, u store.User) meJSON {
	feed := FeedURL(s.baseURL(r), u.FeedKey)
	return meJSON{User: auth.ToPublic(u), FeedURL: feed, FeedQRCode: s.qrCode(feed)}
}

func (s *server) getMe(w http.ResponseWriter, r *http.Request) {
	u := currentUser(r.Context())
	if u.FeedKey == "" {
		var err error
		if u, err = s.setFeedKey(u.ID, false); err != nil {
			s.writeError(w, r, err)
			return
		}
	}
	writeJSON(w, http.StatusOK, s.me(r, u))
}

// rotateFeedKey gives the user a new feed key; the old feed URL and every
// enclosure URL it handed out stop working.
func (s *server) rotateFeedKey(w http.ResponseWriter, r *http.Request) {
	u, err := s.setFeedKey(currentUser(r.Context()).ID, true)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, s.me(r, u))
}

// passwordRequest is the body of POST /me/password.
type passwordRequest struct {
	CurrentPassword *string `json:"currentPassword"`
	NewPassword     *string `json:"newPassword"`
}

func (p *passwordRequest) check() error {
	switch {
	case p.CurrentPassword == nil:
		return required(auth.FieldCurrentPassword)
	case p.NewPassword == nil || *p.NewPassword == "":
		return required(auth.FieldNewPassword)
	}
	return nil
}

// passwordChanged is the answer of POST /me/password: the caller's new
// session, and what became of the others.
type passwordChanged struct {
	auth.Session
	Message string `json:"message"`
}

// changePassword replaces the caller's password. The account service ends
// every session of the user; the caller goes on with the one it returns.
func (s *server) changePassword(w http.ResponseWriter, r *http.Request) {
	var req passwordRequest
	if err := decodeJSON(w, r, &req); err != nil {
		s.writeError(w, r, err)
		return
	}
	sess, err := s.Accounts.ChangePassword(currentUser(r.Context()).ID, *req.CurrentPassword, *req.NewPassword)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, passwordChanged{Session: sess,
		Message: "Password changed. You stay logged in here; every other browser, phone or app logged in as " +
			sess.User.Username + " must log in again with the new password."})
}

// setFeedKey gives the user a feed key (a new one when replace).
func (s *server) setFeedKey(userID string, replace bool) (store.User, error) {
	return FeedKey(s.Users, userID, replace)
}

// userList is the answer of GET /users.
type userList struct {
	Users []auth.PublicUser `json:"users"`
}

func (s *server) listUsers(w http.ResponseWriter, r *http.Request) {
	users, err := s.Accounts.ListUsers()
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if users == nil {
		users = []auth.PublicUser{}
	}
	writeJSON(w, http.StatusOK, userList{Users: users})
}

// newUserRequest is the body of POST /users.
type newUserRequest struct {
	Username *string `json:"username"`
	Password *string `json:"password"`
	Email    *string `json:"email"`
	IsAdmin  bool    `json:"isAdmin"`
}

func (n *newUserRequest) check() error {
	switch {
	case n.Username == nil || *n.Username == "":
		return required("username")
	case n.Password == nil || *n.Password == "":
		return required("password")
	}
	return nil
}

func (s *server) createUser(w http.ResponseWriter, r *http.Request) {
	var req newUserRequest
	if err := decodeJSON(w, r, &req); err != nil {
		s.writeError(w, r, err)
		return
	}
	u, err := s.Accounts.CreateUser(*req.Username, *req.Password, req.Email, req.IsAdmin)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	w.Header().Set("Location", "/users/"+u.ID)
	writeJSON(w, http.StatusCreated, auth.ToPublic(u))
}

// deleteUser deletes an account; ?podcasts=delete|keep says what happens
// to its podcasts (there is no default), and the answer says what went
// and what was kept.
func (s *server) deleteUser(w http.ResponseWriter, r *http.Request) {
	if s.Removal == nil {
		s.writeError(w, r, errors.New("deleting users is not configured (api.Deps.Removal is nil)"))
		return
	}
	out, err := s.Removal.Delete(r.Context(), currentUser(r.Context()), r.PathValue("id"), r.URL.Query().Get("podcasts"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, out)
}

// passwordReset is the body of POST /users/{id}/password.
type passwordReset struct {
	Password *string `json:"password"`
}

func (p *passwordReset) check() error {
	if p.Password == nil || *p.Password == "" {
		return required("password")
	}
	return nil
}

// resetPassword gives an account a new password without the old one (an
// administrator's reset); the account's sessions end.
func (s *server) resetPassword(w http.ResponseWriter, r *http.Request) {
	var req passwordReset
	if err := decodeJSON(w, r, &req); err != nil {
		s.writeError(w, r, err)
		return
	}
	err := s.Accounts.ResetPassword(currentUser(r.Context()), r.PathValue("id"), *req.Password)
	if errors.Is(err, store.ErrNotFound) || errors.Is(err, store.ErrInvalidID) {
		err = notFound("no such user")
	}
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusNoContent)
}
