/* no_version: exports the entry points but carries no ABI version, as a
 * module built without the civetbox SDK would. */
__attribute__((export_name("civetbox_abi_init"))) int init(void) { return 0; }
__attribute__((export_name("civetbox_abi_dispatch"))) int dispatch(int h, int d) { return h + d; }
