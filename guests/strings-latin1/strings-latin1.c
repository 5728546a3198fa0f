/*
 * Guest for wit/codegen/strings-latin1.wit (world `test:strings-latin1/strings-latin1`).
 *
 * ENCODING: this core module uses string-encoding=latin1+utf16 for every string it
 * exchanges: (ptr, tagged_len), ptr aligned to 2; bit 31 of tagged_len set means UTF-16 with
 * tagged_len ^ 0x80000000 code units, clear means Latin-1 with tagged_len bytes. The guest
 * itself produces Latin-1 exactly when every code point is below 256. Hosts must be generated
 * with the latin1+utf16 encoding option. Imports/exports: see guests/common/strings-impl.h.
 */
#define PKG "test:strings-latin1"
#define ENC_LATIN1 1
#include "strings-impl.h"
