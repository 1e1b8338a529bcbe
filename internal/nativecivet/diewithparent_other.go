//go:build !linux

package nativecivet

import "os/exec"

// dieWithParent is Linux-only; elsewhere test cleanups stop native servers.
func dieWithParent(*exec.Cmd) {}
