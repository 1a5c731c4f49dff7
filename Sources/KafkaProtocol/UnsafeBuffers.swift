// Addresses of buffers handed to C (zlib, lz4, zstd) and to the snappy encoder. Swift types a
// buffer's base address as optional because an empty buffer may have none; every buffer below is
// allocated by this module with at least one byte, so a missing address is a bug in this module,
// stopped here with its reason rather than a bare force unwrap.

extension UnsafeMutableRawBufferPointer {
    /// The first byte of a buffer this module allocated with a non-zero size.
    var allocatedBase: UnsafeMutableRawPointer {
        guard let base = baseAddress else { preconditionFailure("an allocated, non-empty buffer has an address") }
        return base
    }
}

extension UnsafeRawBufferPointer {
    /// The first byte of a buffer this module allocated with a non-zero size.
    var allocatedBase: UnsafeRawPointer {
        guard let base = baseAddress else { preconditionFailure("an allocated, non-empty buffer has an address") }
        return base
    }
}

extension UnsafeMutableBufferPointer {
    /// The first element of a buffer this module allocated with a non-zero capacity.
    var allocatedBase: UnsafeMutablePointer<Element> {
        guard let base = baseAddress else { preconditionFailure("an allocated, non-empty buffer has an address") }
        return base
    }
}
