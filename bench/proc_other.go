//go:build !linux

package main

import "os/exec"

// dieWithParent is Linux-only; elsewhere run stops its servers itself.
func dieWithParent(*exec.Cmd) {}
