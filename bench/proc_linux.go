package main

import (
	"os/exec"
	"syscall"
)

// dieWithParent makes the kernel kill a server if the benchmark dies
// without stopping it, so no server outlives a run.
func dieWithParent(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
