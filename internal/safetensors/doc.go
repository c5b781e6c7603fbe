// Package safetensors reads and writes the container of the safetensors
// format (https://github.com/huggingface/safetensors): an 8-byte
// little-endian header length, a JSON header that maps each tensor's name to
// its dtype, shape and byte range in the data (plus an optional
// "__metadata__" object of strings), then the data, the tensors' bytes back
// to back.
//
// It knows the container only: what tensors a file must hold, with which
// shapes and metadata, is the caller's schema (package nn's, for a network).
// Of the format's dtypes it reads the two the kernels compute in, F32 and
// F64, and the 16-bit F16 and BF16 PyTorch models are often saved in
// (converted exactly); it writes F32 and F64.
//
// A reader checks everything before it trusts it: the header length against
// MaxHeaderSize and the size of the input, the header's UTF-8 and JSON (one
// object, no duplicate keys, no unknown fields, no nulls), each tensor's
// byte range (inside the data, of the size its shape and dtype give), and
// that the tensors cover the data exactly. Nothing is allocated from a size
// in the input before it has been checked against the input's size, so a
// small hostile input cannot make a reader allocate much. Errors are
// returned, never panics; their messages say what is wrong without a
// package prefix, for the caller to add its own.
package safetensors
