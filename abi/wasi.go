package abi

// WASI preview 1 functions a guest may import from WASIModule. The host
// provides every one of them with its standard signature, so wasi-libc links
// as usual, but the guest's world is nearly empty: no files or directories
// (no preopens), no arguments, no sockets, and no environment but the
// variables its configuration sets. What works:
//
//   - fd_write on 1 and 2 (stdout, stderr: to the server log, bounded);
//   - fd_read on 0 (always end of file), fd_close, fd_fdstat_get and fd_seek
//     on 0-2 (character devices, not seekable);
//   - clock_time_get and clock_res_get (deterministic fake clocks by
//     default: realtime starts at 2022-01-01T00:00:00Z, both advance 1 ms per
//     read; the host's clocks, to 1 ms, for a module configured with a real
//     clock);
//   - random_get (the host's cryptographic generator);
//   - poll_oneoff for clock subscriptions (sleeps, bounded by the request
//     deadline), sched_yield, proc_exit (ends the request like a trap);
//   - args_* (empty) and environ_* (the configured variables).
//
// Everything else returns an errno: EBADF for a file descriptor other than
// 0-2, ENOTCAPABLE for paths, ENOTSUP for sockets and signals.
var wasiFuncs = []HostFunc{
	{"args_get", []ValueType{I32, I32}, []string{"argv", "argv_buf"}, []ValueType{I32}},
	{"args_sizes_get", []ValueType{I32, I32}, []string{"argc", "argv_buf_size"}, []ValueType{I32}},
	{"environ_get", []ValueType{I32, I32}, []string{"environ", "environ_buf"}, []ValueType{I32}},
	{"environ_sizes_get", []ValueType{I32, I32}, []string{"environc", "environ_buf_size"}, []ValueType{I32}},
	{"clock_res_get", []ValueType{I32, I32}, []string{"id", "resolution"}, []ValueType{I32}},
	{"clock_time_get", []ValueType{I32, I64, I32}, []string{"id", "precision", "time"}, []ValueType{I32}},
	{"fd_advise", []ValueType{I32, I64, I64, I32}, []string{"fd", "offset", "len", "advice"}, []ValueType{I32}},
	{"fd_allocate", []ValueType{I32, I64, I64}, []string{"fd", "offset", "len"}, []ValueType{I32}},
	{"fd_close", []ValueType{I32}, []string{"fd"}, []ValueType{I32}},
	{"fd_datasync", []ValueType{I32}, []string{"fd"}, []ValueType{I32}},
	{"fd_fdstat_get", []ValueType{I32, I32}, []string{"fd", "stat"}, []ValueType{I32}},
	{"fd_fdstat_set_flags", []ValueType{I32, I32}, []string{"fd", "flags"}, []ValueType{I32}},
	{"fd_fdstat_set_rights", []ValueType{I32, I64, I64}, []string{"fd", "fs_rights_base", "fs_rights_inheriting"}, []ValueType{I32}},
	{"fd_filestat_get", []ValueType{I32, I32}, []string{"fd", "buf"}, []ValueType{I32}},
	{"fd_filestat_set_size", []ValueType{I32, I64}, []string{"fd", "size"}, []ValueType{I32}},
	{"fd_filestat_set_times", []ValueType{I32, I64, I64, I32}, []string{"fd", "atim", "mtim", "fst_flags"}, []ValueType{I32}},
	{"fd_pread", []ValueType{I32, I32, I32, I64, I32}, []string{"fd", "iovs", "iovs_len", "offset", "nread"}, []ValueType{I32}},
	{"fd_prestat_get", []ValueType{I32, I32}, []string{"fd", "buf"}, []ValueType{I32}},
	{"fd_prestat_dir_name", []ValueType{I32, I32, I32}, []string{"fd", "path", "path_len"}, []ValueType{I32}},
	{"fd_pwrite", []ValueType{I32, I32, I32, I64, I32}, []string{"fd", "iovs", "iovs_len", "offset", "nwritten"}, []ValueType{I32}},
	{"fd_read", []ValueType{I32, I32, I32, I32}, []string{"fd", "iovs", "iovs_len", "nread"}, []ValueType{I32}},
	{"fd_readdir", []ValueType{I32, I32, I32, I64, I32}, []string{"fd", "buf", "buf_len", "cookie", "bufused"}, []ValueType{I32}},
	{"fd_renumber", []ValueType{I32, I32}, []string{"fd", "to"}, []ValueType{I32}},
	{"fd_seek", []ValueType{I32, I64, I32, I32}, []string{"fd", "offset", "whence", "newoffset"}, []ValueType{I32}},
	{"fd_sync", []ValueType{I32}, []string{"fd"}, []ValueType{I32}},
	{"fd_tell", []ValueType{I32, I32}, []string{"fd", "offset"}, []ValueType{I32}},
	{"fd_write", []ValueType{I32, I32, I32, I32}, []string{"fd", "iovs", "iovs_len", "nwritten"}, []ValueType{I32}},
	{"path_create_directory", []ValueType{I32, I32, I32}, []string{"fd", "path", "path_len"}, []ValueType{I32}},
	{"path_filestat_get", []ValueType{I32, I32, I32, I32, I32}, []string{"fd", "flags", "path", "path_len", "buf"}, []ValueType{I32}},
	{"path_filestat_set_times", []ValueType{I32, I32, I32, I32, I64, I64, I32}, []string{"fd", "flags", "path", "path_len", "atim", "mtim", "fst_flags"}, []ValueType{I32}},
	{"path_link", []ValueType{I32, I32, I32, I32, I32, I32, I32}, []string{"old_fd", "old_flags", "old_path", "old_path_len", "new_fd", "new_path", "new_path_len"}, []ValueType{I32}},
	{"path_open", []ValueType{I32, I32, I32, I32, I32, I64, I64, I32, I32}, []string{"fd", "dirflags", "path", "path_len", "oflags", "fs_rights_base", "fs_rights_inheriting", "fdflags", "opened_fd"}, []ValueType{I32}},
	{"path_readlink", []ValueType{I32, I32, I32, I32, I32, I32}, []string{"fd", "path", "path_len", "buf", "buf_len", "bufused"}, []ValueType{I32}},
	{"path_remove_directory", []ValueType{I32, I32, I32}, []string{"fd", "path", "path_len"}, []ValueType{I32}},
	{"path_rename", []ValueType{I32, I32, I32, I32, I32, I32}, []string{"fd", "old_path", "old_path_len", "new_fd", "new_path", "new_path_len"}, []ValueType{I32}},
	{"path_symlink", []ValueType{I32, I32, I32, I32, I32}, []string{"old_path", "old_path_len", "fd", "new_path", "new_path_len"}, []ValueType{I32}},
	{"path_unlink_file", []ValueType{I32, I32, I32}, []string{"fd", "path", "path_len"}, []ValueType{I32}},
	{"poll_oneoff", []ValueType{I32, I32, I32, I32}, []string{"in", "out", "nsubscriptions", "nevents"}, []ValueType{I32}},
	{"proc_exit", []ValueType{I32}, []string{"rval"}, nil},
	{"proc_raise", []ValueType{I32}, []string{"sig"}, []ValueType{I32}},
	{"sched_yield", nil, nil, []ValueType{I32}},
	{"random_get", []ValueType{I32, I32}, []string{"buf", "buf_len"}, []ValueType{I32}},
	{"sock_accept", []ValueType{I32, I32, I32}, []string{"fd", "flags", "result_fd"}, []ValueType{I32}},
	{"sock_recv", []ValueType{I32, I32, I32, I32, I32, I32}, []string{"fd", "ri_data", "ri_data_len", "ri_flags", "ro_datalen", "ro_flags"}, []ValueType{I32}},
	{"sock_send", []ValueType{I32, I32, I32, I32, I32}, []string{"fd", "si_data", "si_data_len", "si_flags", "so_datalen"}, []ValueType{I32}},
	{"sock_shutdown", []ValueType{I32, I32}, []string{"fd", "how"}, []ValueType{I32}},
}

// WASIFuncs returns a copy of the WASI preview 1 function table the host
// provides in WASIModule.
func WASIFuncs() []HostFunc { return copyFuncs(wasiFuncs) }

// LookupWASIFunc returns the signature of the WASI function named name.
func LookupWASIFunc(name string) (HostFunc, bool) { return lookup(wasiFuncs, name) }

// WASI errno values (preview 1) the host returns.
const (
	ErrnoSuccess    int32 = 0
	ErrnoBadf       int32 = 8
	ErrnoInval      int32 = 28
	ErrnoNosys      int32 = 52
	ErrnoNotsup     int32 = 58
	ErrnoSpipe      int32 = 70
	ErrnoNotcapable int32 = 76
)
