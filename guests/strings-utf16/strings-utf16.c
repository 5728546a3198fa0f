/*
 * Guest for wit/codegen/strings-utf16.wit (world `test:strings-utf16/strings-utf16`).
 *
 * ENCODING: this core module uses string-encoding=utf16 for every string it exchanges:
 * (ptr, len) with len = UTF-16 code units and ptr aligned to 2. Hosts must be generated with
 * the utf16 encoding option (lowering: cabi_realloc(0, 0, 2, 2 * units)).
 * Imports/exports: see guests/common/strings-impl.h.
 */
#define PKG "test:strings-utf16"
#define ENC_LATIN1 0
#include "strings-impl.h"
