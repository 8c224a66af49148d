package main

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// server is a Jupyter Notebook server started for the check, on 127.0.0.1 with a random token, serving
// root (the repository, so out/notebooks/... are reachable as a user opens them).
type server struct {
	cmd   *exec.Cmd
	port  int
	token string
	log   string
}

// startServer starts `jupyter notebook` on a free loopback port and waits (up to a minute) until it
// answers. Its log goes to logPath. The environment is the caller's plus env.
func startServer(root, logPath string, env []string) (*server, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	tok := make([]byte, 16)
	if _, err := rand.Read(tok); err != nil {
		return nil, err
	}
	s := &server{port: port, token: hex.EncodeToString(tok), log: logPath}
	logFile, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	s.cmd = exec.Command("jupyter", "notebook", "--no-browser", "--ip=127.0.0.1", fmt.Sprintf("--port=%d", port),
		"--port-retries=0", "--NotebookApp.token="+s.token, "--NotebookApp.notebook_dir="+root)
	if os.Geteuid() == 0 { // containers and CI often run as root; the server refuses that unless told
		s.cmd.Args = append(s.cmd.Args, "--allow-root")
	}
	s.cmd.Dir = root
	s.cmd.Env = append(os.Environ(), env...)
	s.cmd.Stdout, s.cmd.Stderr = logFile, logFile
	// Its own process group: stop ends the server and the kernels it started, nothing else.
	s.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := s.cmd.Start(); err != nil {
		logFile.Close()
		return nil, fmt.Errorf("starting jupyter notebook: %w", err)
	}
	logFile.Close()
	deadline := time.Now().Add(time.Minute)
	for time.Now().Before(deadline) {
		resp, err := http.Get(s.url("api/status"))
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return s, nil
			}
		}
		time.Sleep(300 * time.Millisecond)
	}
	s.stop()
	return nil, fmt.Errorf("jupyter notebook did not answer on 127.0.0.1:%d within a minute (log: %s)", port, logPath)
}

// url is the server's address of path (relative to the root), with the token.
func (s *server) url(path string) string {
	sep := "?"
	if strings.Contains(path, "?") {
		sep = "&"
	}
	return fmt.Sprintf("http://127.0.0.1:%d/%s%stoken=%s", s.port, path, sep, s.token)
}

// notebookURL is where the classic notebook interface opens the notebook at rel (slash-separated,
// relative to the root).
func (s *server) notebookURL(rel string) string {
	return s.url("notebooks/" + filepath.ToSlash(rel))
}

// stop ends the server's process group (the server and its kernels) and waits for it.
func (s *server) stop() {
	if s.cmd == nil || s.cmd.Process == nil {
		return
	}
	_ = syscall.Kill(-s.cmd.Process.Pid, syscall.SIGTERM)
	done := make(chan struct{})
	go func() { _ = s.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		_ = syscall.Kill(-s.cmd.Process.Pid, syscall.SIGKILL)
		<-done
	}
}
