// Package npy is the project's one reader and writer of NumPy's .npy and .npz files, hardened against
// hostile and broken input.
//
// # Format
//
// An .npy file is the magic "\x93NUMPY", a major and minor version byte, the header length HLEN (2
// bytes little-endian in version 1, 4 bytes in versions 2 and 3), HLEN bytes of a Python dict literal
// such as {'descr': '<f8', 'fortran_order': False, 'shape': (3, 4), } padded with spaces and a newline,
// then the data: prod(shape) items of itemsize(descr) bytes each, C order unless fortran_order. An
// .npz file is a zip archive of .npy members ("x.npy" for an array saved as x), stored or deflated.
//
// # What is checked before anything is allocated
//
//   - the header length against Limits.MaxHeaderBytes and against the bytes present;
//   - the dict: exactly the keys descr, fortran_order and shape, descr one of the whitelisted plain
//     numeric types (f8 f4 i8 i4 i2 i1 u8 u4 u2 u1 b1, any byte order), shape a tuple of at most
//     Limits.MaxDims non-negative integers whose product P does not overflow;
//   - P * itemsize against Limits.MaxArrayBytes and against the bytes really present: for a file, the
//     file size minus the header must equal P * itemsize exactly; for an archive member, the member's
//     declared uncompressed size must equal header + P * itemsize;
//   - for an archive, the sum of the declared sizes of the members read against Limits.MaxTotalBytes;
//     reading a member is bounded by its declared size, so a member that inflates to more than it
//     declares (a zip bomb with a lying header) is an error after at most the declared bytes;
//   - the number of archive members against Limits.MaxMembers.
//
// The result of a read therefore allocates at most the declared data (bounded by the limits and the
// bytes present for plain files) plus its conversion to float64 (8 bytes per item). Errors name the
// file, the array and the field or limit that failed; a failed limit wraps ErrLimit, a malformed file
// ErrFormat, so callers can tell "raise the limit" from "fix the file".
//
// Writers produce the header numpy.save writes, byte for byte (version 1.0, or 2.0 when the header
// needs more than 65535 bytes; room for the first axis to grow to 21 digits; padding to 64 bytes),
// little-endian C-order data, and .npz archives through internal/atomicfile, so a reader never
// sees a partial file.
package npy
