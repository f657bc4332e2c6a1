import CFileOps
import Foundation

/// A guard for libhdf5 1.10 (Debian 12's): variable-length strings (every string the kit
/// writes, and Keras's `weight_names`) live in global heap collections, and 1.10's
/// `H5HG__cache_heap_deserialize` walks a collection's objects trusting their sizes: a
/// free-space object of size 0 makes it loop forever inside the library (no error, no
/// return), an object larger than its collection makes it read past it. Found by `make fuzz`
/// (fuzz-keras); later libhdf5 versions check both.
///
/// Before libhdf5 opens a file, every global heap collection in it is walked the way libhdf5
/// walks it, and a file whose walk would not advance or would leave its collection is refused.
/// A collection is found by its signature (`GCOL`, version 1, a size that fits in the file);
/// the kit's own files, the Keras fixtures and the authors' models hold one or two each.
///
/// Then every variable-length reference into a collection is checked against the object it
/// names: 1.10's `H5T__conv_vlen` allocates (and zeroes) the sequence length the reference
/// declares, and `H5HG_read` copies the object's real size into that buffer, so a 71 KB file
/// declaring 2^31 bytes made `inspect` take 8 GB and 48 s (`make fuzz`), and a shorter
/// declaration overruns the buffer. A reference is 16 bytes, the sequence length, the
/// collection's address and the object's index; it is found by searching the file for each
/// collection's address; it counts when its index names an object there. Its length must fit
/// the object (an index the collection does not hold is not judged: 1.10 reads its object
/// table unchecked, and the CLI's crash guard turns the resulting SIGSEGV into a one-line error):
/// `size = length × element size` for an element size of 1, 2, 4 or 8 bytes (strings, the only
/// kind the kit reads, have 1).
///
/// That search cannot judge every reference (bytes that only look like one are everywhere), so
/// the walk's result is kept (`GlobalHeaps`) and the references a read would follow are judged
/// exactly before the read (`StoredValue.strings`).
enum GlobalHeapCheck {
    /// Refuses the file at `path` if one of its collections would hang or overrun libhdf5;
    /// otherwise returns its collections (nil when the file cannot be mapped or has no
    /// superblock the check finds: libhdf5 then reports what is wrong, or the crash guard does).
    static func check(path: String) throws -> GlobalHeaps? {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return nil }   // H5Fopen reports why it cannot be read
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0, st.st_size > 0 else { return nil }
        let size = Int(st.st_size)
        guard let map = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), map != MAP_FAILED else { return nil }
        defer { munmap(map, size) }
        let file = UnsafeRawBufferPointer(start: map, count: size)
        var collections: [(at: Int, sizes: [Int: UInt64])] = []
        if let defect = walkCollections(file, into: &collections) ?? firstBadReference(file, collections) {
            throw HDF5Error.implausibleSize(path: path, detail: "has a corrupt global heap collection at byte \(defect.collection): \(defect.detail)")
        }
        guard let (base, _, _) = superblock(file) else { return nil }
        return GlobalHeaps(base: base, collections: collections)
    }

    /// Walks every collection, recording each one's objects (index → size).
    static func walkCollections(_ file: UnsafeRawBufferPointer, into found: inout [(at: Int, sizes: [Int: UInt64])]) -> (collection: Int, detail: String)? {
        guard let lengthSize = superblock(file)?.lengthSize, lengthSize == 4 || lengthSize == 8 else { return nil }
        let headerSize = 8 + lengthSize      // "GCOL", version, 3 reserved, collection size
        let objectHeaderSize = 8 + lengthSize  // index (2), references (2), reserved (4), size
        var start = 0
        while let at = findSignature(in: file, from: start) {
            start = at + 1
            guard at + headerSize <= file.count, file[at + 4] == 1 else { continue }
            let declared = length(file, at + 8, lengthSize)
            // A collection that does not fit in the file is one libhdf5 cannot load (an error).
            guard declared >= UInt64(headerSize), declared <= UInt64(file.count - at) else { continue }
            let end = at + Int(declared)
            var p = at + headerSize
            var sizes: [Int: UInt64] = [:]
            defer { found.append((at, sizes)) }
            while p < end {
                if p + objectHeaderSize > end { break }   // a tail too small for a header: free space
                let index = Int(file[p]) | Int(file[p + 1]) << 8
                let objectSize = length(file, p + 8, lengthSize)
                let room = UInt64(end - p)
                let need: UInt64
                if index == 0 {
                    // Free space: its size includes its header and is not padded.
                    guard objectSize >= UInt64(objectHeaderSize) else {
                        return (at, "free space of \(objectSize) bytes at offset \(p - at) (less than its own header)")
                    }
                    need = objectSize
                } else {
                    guard objectSize <= room else {
                        return (at, "object \(index) of \(objectSize) bytes at offset \(p - at), beyond the collection's \(declared)")
                    }
                    need = UInt64(objectHeaderSize) + (objectSize + 7) / 8 * 8
                    sizes[index] = objectSize
                }
                guard need <= room else {
                    return (at, "object \(index) of \(objectSize) bytes at offset \(p - at), beyond the collection's \(declared)")
                }
                p += Int(need)
            }
        }
        return nil
    }

    /// The first variable-length reference naming an object of `collections` whose declared
    /// length does not fit that object.
    static func firstBadReference(_ file: UnsafeRawBufferPointer, _ collections: [(at: Int, sizes: [Int: UInt64])]) -> (collection: Int, detail: String)? {
        guard !collections.isEmpty, let base = file.baseAddress, let (superblock, offsetSize, _) = superblock(file),
              offsetSize == 4 || offsetSize == 8 else { return nil }
        for c in collections where c.at >= superblock && !c.sizes.isEmpty {
            // Addresses are relative to the superblock (a user block shifts both).
            var address = UInt64(c.at - superblock).littleEndian
            var from = 4
            while from + offsetSize + 4 <= file.count {
                let hit = withUnsafeBytes(of: &address) { a in kit_memmem(base + from, file.count - from, a.baseAddress!, offsetSize) }
                guard let hit else { break }
                let p = base.distance(to: UnsafeRawPointer(hit))
                from = p + 1
                guard p >= 4, p + offsetSize + 4 <= file.count else { continue }
                let index = Int(length(file, p + offsetSize, 4))
                guard index > 0 else { continue }
                let declared = length(file, p - 4, 4)
                // An index the collection does not hold is not a reference into it: other
                // structures hold the collection's address too (a symbol-table entry whose name
                // offset equals it, followed by an object header address, refused a valid zoo
                // model when such indexes were judged), so only real objects are checked; a
                // forged index that crashes libhdf5 is caught by the CLI's crash guard.
                guard let size = c.sizes[index] else { continue }
                let ratio = declared == 0 ? 0 : size / declared
                let fits = declared == 0 ? size == 0 : size % declared == 0 && (ratio == 1 || ratio == 2 || ratio == 4 || ratio == 8)
                if !fits {
                    return (c.at, "holds a variable-length value at byte \(p - 4) declaring \(declared) elements for its object \(index) of \(size) bytes")
                }
            }
        }
        return nil
    }

    /// Where the superblock is (at byte 0 or a power of two from 512), its "size of offsets"
    /// and its "size of lengths". Versions 0 and 1: five version bytes, then the two sizes;
    /// versions 2 and 3: the version, then the two sizes.
    static func superblock(_ file: UnsafeRawBufferPointer) -> (at: Int, offsetSize: Int, lengthSize: Int)? {
        let signature: [UInt8] = [0x89, 0x48, 0x44, 0x46, 0x0D, 0x0A, 0x1A, 0x0A]
        var base = 0
        while base + 16 <= file.count {
            if (0..<8).allSatisfy({ file[base + $0] == signature[$0] }) {
                let sizes = file[base + 8] < 2 ? base + 13 : base + 9
                return (base, Int(file[sizes]), Int(file[sizes + 1]))
            }
            base = base == 0 ? 512 : base * 2
        }
        return nil
    }

    private static func length(_ file: UnsafeRawBufferPointer, _ at: Int, _ size: Int) -> UInt64 {
        (0..<size).reduce(UInt64(0)) { v, i in v | UInt64(file[at + i]) << (8 * UInt64(i)) }
    }

    /// The offset of the next "GCOL" at or after `from` (memchr for its first byte).
    private static func findSignature(in file: UnsafeRawBufferPointer, from: Int) -> Int? {
        guard let base = file.baseAddress else { return nil }
        let signature: [UInt8] = Array("GCOL".utf8)
        var at = from
        while at + 4 <= file.count {
            guard let hit = memchr(base + at, Int32(signature[0]), file.count - 3 - at) else { return nil }
            at = base.distance(to: UnsafeRawPointer(hit))
            if file[at + 1] == signature[1], file[at + 2] == signature[2], file[at + 3] == signature[3] { return at }
            at += 1
        }
        return nil
    }
}

/// A file's global heap collections as walked by `GlobalHeapCheck`: each one's objects
/// (index → size), by the address references hold (relative to the superblock).
struct GlobalHeaps {
    private let collections: [UInt64: [Int: UInt64]]
    private let base: Int

    init(base: Int, collections: [(at: Int, sizes: [Int: UInt64])]) {
        self.base = base
        var byAddress: [UInt64: [Int: UInt64]] = [:]
        for c in collections where c.at >= base { byAddress[UInt64(c.at - base)] = c.sizes }
        self.collections = byAddress
    }

    /// Why libhdf5 1.10 must not follow the stored reference (`length` elements of
    /// `elementSize` bytes in object `index` of the collection at `address`), or nil when it
    /// names an object of exactly that size. Address 0 is the null reference, which libhdf5
    /// reads as no value without touching a heap.
    func defect(length: UInt32, address: UInt64, index: UInt32, elementSize: Int) -> String? {
        guard address != 0 else { return nil }
        let at = UInt64(base) &+ address
        guard let sizes = collections[address] else {
            return "refers to a global heap collection at byte \(at), where the file has none"
        }
        guard index != 0 else {
            return "refers to object 0 of the global heap collection at byte \(at), its free space, which holds no value"
        }
        guard let size = sizes[Int(index)] else {
            return "refers to object \(index) of the global heap collection at byte \(at), which holds \(sizes.count) object(s) with indexes up to \(sizes.keys.max() ?? 0)"
        }
        let declared = UInt64(length) * UInt64(elementSize)
        guard size == declared else {
            return "declares \(declared) bytes for object \(index) of the global heap collection at byte \(at), which holds \(size)"
        }
        return nil
    }
}
