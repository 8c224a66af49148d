package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

func joinDetail(a, b string) string {
	if a == "" {
		return b
	}
	return a + "; " + b
}

// run executes one notebook, checks its outputs, adds text fallbacks to its rich outputs and signs it
// with sign (nil: leave it unsigned).
func run(nb, outAbs, mode string, timeout time.Duration, sign func(path string) error) result {
	name := strings.TrimSuffix(filepath.Base(nb), ".ipynb")
	r := result{notebook: filepath.Base(nb), status: "FAILED"}
	executed := filepath.Join(outAbs, "notebooks", name+".ipynb")
	logPath := filepath.Join(outAbs, "logs", name+".log")
	logFile, err := os.Create(logPath)
	if err != nil {
		r.detail = err.Error()
		return r
	}
	defer logFile.Close()
	cmd := exec.Command("jupyter", "nbconvert", "--to", "notebook", "--execute", "--allow-errors",
		"--ExecutePreprocessor.kernel_name=gonb",
		fmt.Sprintf("--ExecutePreprocessor.timeout=%d", int(timeout.Seconds())),
		"--output", executed, filepath.Base(nb))
	cmd.Dir = filepath.Dir(nb)
	cmd.Stdout, cmd.Stderr = logFile, logFile
	cmd.Env = append(os.Environ(), "NETDIFFUS_MODE="+mode, "NETDIFFUS_OUT="+filepath.Join(outAbs, "figures"))
	start := time.Now()
	err = cmd.Run()
	r.seconds = time.Since(start).Seconds()
	if err != nil {
		r.detail = fmt.Sprintf("nbconvert: %v (log: %s)", err, logPath)
		return r
	}
	errs, err := notebookErrors(executed)
	switch {
	case err != nil:
		r.detail = err.Error()
	case len(errs) > 0:
		r.detail = strings.Join(errs, "; ")
	default:
		r.status = "ok"
	}
	// Viewable whatever happened: the fallbacks and the signature (last: it covers the final content).
	if err := addFallbacks(executed); err != nil {
		r.status, r.detail = "FAILED", joinDetail(r.detail, err.Error())
	} else if sign != nil {
		if err := sign(executed); err != nil {
			r.status, r.detail = "FAILED", joinDetail(r.detail, err.Error())
		}
	}
	return r
}

// notebook is the part of the .ipynb format nbrun reads.
type notebook struct {
	Cells []struct {
		CellType string `json:"cell_type"`
		Outputs  []struct {
			OutputType string `json:"output_type"`
			Ename      string `json:"ename"`
			Evalue     string `json:"evalue"`
		} `json:"outputs"`
	} `json:"cells"`
}

// notebookErrors lists the error outputs of an executed notebook as "cell N: name: value".
func notebookErrors(path string) ([]string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading executed notebook: %w", err)
	}
	var nb notebook
	if err := json.Unmarshal(b, &nb); err != nil {
		return nil, fmt.Errorf("%s: not a notebook: %w", path, err)
	}
	var errs []string
	for i, c := range nb.Cells {
		for _, o := range c.Outputs {
			if o.OutputType == "error" {
				errs = append(errs, fmt.Sprintf("cell %d: %s: %s", i+1, o.Ename, firstLine(o.Evalue)))
			}
		}
	}
	return errs, nil
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i] + " ..."
	}
	return s
}

// printTable writes the notebook / status / seconds table and returns how many failed.
func printTable(w io.Writer, results []result) int {
	width := len("notebook")
	for _, r := range results {
		width = max(width, len(r.notebook))
	}
	fmt.Fprintf(w, "\n%-*s  %-6s  %8s\n", width, "notebook", "status", "seconds")
	failed := 0
	var total float64
	for _, r := range results {
		fmt.Fprintf(w, "%-*s  %-6s  %8.1f\n", width, r.notebook, r.status, r.seconds)
		total += r.seconds
		if r.status != "ok" {
			failed++
		}
	}
	fmt.Fprintf(w, "%-*s  %-6s  %8.1f\n", width, "total", "", total)
	return failed
}
