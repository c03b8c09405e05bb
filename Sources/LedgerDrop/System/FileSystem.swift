#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CFileSystem

/// The few POSIX operations the spool is built from. Everything here works on paths inside the
/// spool and never follows a symbolic link.
package enum FileSystem {
    struct Status {
        var isRegularFile: Bool
        var isDirectory: Bool
        var isSymbolicLink: Bool
        var size: Int64
        /// Modification time in nanoseconds since the epoch (a copy may preserve the original's).
        var modified: Int64
        /// Status-change time (ctime) in nanoseconds since the epoch: set by the file system on
        /// every write, rename and attribute change, never by the copying program.
        var changed: Int64 = 0
    }

    enum Failure: Error, CustomStringConvertible {
        case exists
        case missing
        /// A symbolic link or a folder where a file was expected.
        case notRegular(String)
        case other(String)

        /// Plain words for messages, never the case's name.
        var description: String {
            switch self {
            case .exists: "the file already exists"
            case .missing: "the file is not there"
            case .notRegular(let what): what
            case .other(let text): text
            }
        }
    }

    static func describe(_ code: Int32) -> String { String(cString: strerror(code)) }

    static func status(_ path: String) -> Status? {
        var st = stat()
        guard lstat(path, &st) == 0 else { return nil }
        return Status(st)
    }

    /// Whether `path` is a folder, following a symbolic link (for the spool folder itself only).
    static func isFolder(followingLinks path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0 && st.st_mode & S_IFMT == S_IFDIR
    }

    static func exists(_ path: String) -> Bool {
        var st = stat()
        return lstat(path, &st) == 0
    }

    /// Each name in a directory with its status (not following links), one at a time: nothing
    /// of the directory is held beyond the entry in hand. Entries gone meanwhile are skipped.
    static func forEachEntry(in directory: String, _ body: (String, Status) -> Void) {
        guard let dir = opendir(directory) else { return }
        defer { closedir(dir) }
        let fd = dirfd(dir)
        let nameOffset = MemoryLayout<dirent>.offset(of: \dirent.d_name)!
        while let entry = readdir(dir) {
            let name = (UnsafeRawPointer(entry) + nameOffset).assumingMemoryBound(to: CChar.self)
            if name[0] == 0x2E, name[1] == 0 || (name[1] == 0x2E && name[2] == 0) { continue }
            var st = stat()
            guard fstatat(fd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 else { continue }
            body(String(cString: name), Status(st))
        }
    }

    /// Names in a directory, without `.` and `..`; empty when it cannot be read.
    static func list(_ directory: String) -> [String] {
        guard let dir = opendir(directory) else { return [] }
        defer { closedir(dir) }
        var names: [String] = []
        // The name is read where it lies: a record may be shorter than `struct dirent` (its
        // name ends at its NUL), so copying the whole 256-byte `d_name` reads past the buffer.
        let nameOffset = MemoryLayout<dirent>.offset(of: \dirent.d_name)!
        while let entry = readdir(dir) {
            let name = String(cString: (UnsafeRawPointer(entry) + nameOffset).assumingMemoryBound(to: CChar.self))
            if name != ".", name != ".." { names.append(name) }
        }
        return names
    }

    /// Reads a regular file without following a symbolic link; at most `limit` bytes (more is
    /// reported by returning `limit + 1` bytes).
    static func read(_ path: String, limit: Int) throws(Failure) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else {
            switch errno {
            case ENOENT: throw .missing
            case ELOOP: throw .notRegular("a symbolic link (links are never followed)")
            default: throw .other("cannot open \(path): \(describe(errno))")
            }
        }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw .other("cannot read \(path): \(describe(errno))") }
        guard st.st_mode & S_IFMT == S_IFREG else { throw .notRegular("not a regular file") }
        // Read straight into the result, sized by the status (one byte more shows a file that
        // grew); a file that grows further is read on in chunks.
        var bytes = [UInt8]()
        var capacity = min(Int(st.st_size), limit) + 1
        while true {
            let start = bytes.count
            bytes.reserveCapacity(start + capacity)
            var failure: Int32 = 0
            bytes.append(contentsOf: repeatElement(0, count: capacity))
            var n = 0
            while n < capacity {
                let got = bytes.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress! + start + n, capacity - n) }
                if got < 0 {
                    if errno == EINTR { continue }
                    failure = errno
                    break
                }
                if got == 0 { break }
                n += got
            }
            if failure != 0 { throw .other("cannot read \(path): \(describe(failure))") }
            bytes.removeLast(capacity - n)
            if n < capacity || bytes.count > limit { break }
            capacity = 65_536
        }
        return bytes.count > limit ? Array(bytes.prefix(limit + 1)) : bytes
    }

    /// A whole file outside the spool (the configuration, the credential store), following a
    /// symbolic link as a user expects of their own files; nil when it cannot be read. Plain
    /// POSIX reads: Foundation's file reading leaks its buffer for an empty file on Linux.
    package static func contents(ofFileAt path: String, limit: Int = 64 << 20) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while bytes.count <= limit {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0, errno == EINTR { continue }
            if n < 0 { return nil }
            if n == 0 { break }
            bytes.append(contentsOf: chunk[0..<n])
        }
        return bytes
    }

    /// Writes a new file (it must not exist). No fsync: the caller groups those (SPEC §2.1).
    static func create(_ path: String, bytes: [UInt8], mode: mode_t = 0o644) throws(Failure) {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode)
        guard fd >= 0 else { throw errno == EEXIST ? .exists : .other("cannot create \(path): \(describe(errno))") }
        defer { close(fd) }
        do { try writeAll(fd, bytes, path: path) } catch {
            unlink(path)
            throw error
        }
    }

    /// Replaces the contents of an existing file in place (no new inode, the blocks it has are
    /// reused): writes `bytes` from the start, then cuts the file to their length.
    static func overwrite(_ path: String, bytes: [UInt8]) throws(Failure) {
        let fd = open(path, O_WRONLY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else { throw errno == ENOENT ? .missing : .other("cannot open \(path): \(describe(errno))") }
        defer { close(fd) }
        try writeAll(fd, bytes, path: path)
        guard ftruncate(fd, off_t(bytes.count)) == 0 else { throw .other("cannot write \(path): \(describe(errno))") }
    }

    /// Appends each record in one `write(2)` on an `O_APPEND` descriptor, so concurrent writers
    /// never interleave inside a record, then keeps space allocated past the end for the next
    /// ones. A record cut short (the disk filled mid-write) is reported, and a reader says which
    /// line is torn.
    static func append(_ path: String, records: [[UInt8]]) throws(Failure) {
        let fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_NOFOLLOW | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw .other("cannot open \(path): \(describe(errno))") }
        defer { close(fd) }
        // Whole records grouped into writes of up to 64 KB: one append of a batch is a few
        // system calls, and each write is still whole lines.
        var groups: [[UInt8]] = []
        for record in records where !record.isEmpty {
            if let last = groups.last, last.count + record.count <= 65_536 {
                groups[groups.count - 1] += record
            } else {
                groups.append(record)
            }
        }
        for record in groups {
            var n: Int
            repeat { n = record.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) } } while n < 0 && errno == EINTR
            if n < 0 { throw .other("cannot write \(path): \(describe(errno))") }
            if n < record.count {
                // Only a full disk or a size limit cuts a write on a regular file short.
                do { try writeAll(fd, Array(record[n...]), path: path) } catch {
                    throw .other("a line of \(path) was cut short: \(error)")
                }
            }
        }
        _ = ledgerdrop_reserve_tail(fd, 64 << 10)
    }

    private static func writeAll(_ fd: Int32, _ bytes: [UInt8], path: String) throws(Failure) {
        var written = 0
        while written < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + written, $0.count - written) }
            if n < 0 {
                if errno == EINTR { continue }
                throw .other("cannot write \(path): \(describe(errno))")
            }
            written += n
        }
    }

    /// Moves `from` to `to`, failing with `.exists` rather than replacing a file.
    static func moveNoReplace(_ from: String, _ to: String) throws(Failure) {
        if ledgerdrop_rename_noreplace(from, to) == 0 { return }
        switch errno {
        case EEXIST: throw .exists
        case ENOENT: throw .missing
        case EINVAL, ENOSYS, ENOTSUP:
            // A filesystem without RENAME_NOREPLACE (some network shares): link(2) refuses an
            // existing target atomically, then the old name goes.
            if link(from, to) != 0 {
                throw errno == EEXIST ? .exists : errno == ENOENT ? .missing : .other("cannot move \(from) to \(to): \(describe(errno))")
            }
            unlink(from)
        default:
            throw .other("cannot move \(from) to \(to): \(describe(errno))")
        }
    }

    /// Moves `from` to `to`, replacing `to` if it exists.
    static func move(_ from: String, _ to: String) throws(Failure) {
        if rename(from, to) == 0 { return }
        throw errno == ENOENT ? .missing : .other("cannot move \(from) to \(to): \(describe(errno))")
    }

    /// Creates a folder and the folders above it that are missing, one after the other from the
    /// top (never by recursion, which a path that cannot be made would send on forever).
    static func makeDirectory(_ path: String) throws(Failure) {
        if let st = status(path) {
            guard st.isDirectory else { throw .other("\(path) exists and is not a folder") }
            return
        }
        let parts = path.split(separator: "/", omittingEmptySubsequences: true)
        var prefix = path.hasPrefix("/") ? "" : "."
        for part in parts {
            prefix += "/" + part
            if mkdir(prefix, 0o755) == 0 { continue }
            let code = errno
            guard code == EEXIST, let st = status(prefix), st.isDirectory else {
                throw .other(code == EEXIST ? "\(prefix) exists and is not a folder" : "cannot create folder \(prefix): \(describe(code))")
            }
        }
    }

    static func remove(_ path: String) { unlink(path) }

    /// Sets a file's modification time (nanoseconds since the epoch, this host's clock), not
    /// following a link: a claimed payload's says when its last request went out.
    static func setModified(_ path: String, to nanoseconds: Int64) throws(Failure) {
        let time = timespec(tv_sec: Int(nanoseconds / 1_000_000_000), tv_nsec: Int(nanoseconds % 1_000_000_000))
        let times = [time, time]
        guard utimensat(AT_FDCWD, path, times, AT_SYMLINK_NOFOLLOW) == 0 else {
            throw errno == ENOENT ? .missing : .other("cannot set the time of \(path): \(describe(errno))")
        }
    }

    static func removeDirectory(_ path: String) -> Bool { rmdir(path) == 0 }

    /// Flushes one file, or one folder's entries (its renames), to disk: for a folder outside the
    /// spool, maybe a network share, where a flush of the whole filesystem is not offered.
    static func sync(_ path: String) throws(Failure) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw errno == ENOENT ? .missing : .other("cannot open \(path): \(describe(errno))") }
        defer { close(fd) }
        // A folder on a filesystem that cannot flush folders says EINVAL: its renames are as
        // durable as it makes them.
        guard fsync(fd) == 0 || errno == EINVAL else { throw .other("cannot flush \(path) to disk: \(describe(errno))") }
    }

    /// Flushes everything written to the filesystem holding `path`: one flush for a whole batch
    /// of files and renames, instead of one per file (SPEC §2.1, §11).
    static func syncFilesystem(containing path: String) throws(Failure) {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw .other("cannot open \(path): \(describe(errno))") }
        defer { close(fd) }
        guard ledgerdrop_syncfs(fd) == 0 else { throw .other("cannot sync the filesystem of \(path): \(describe(errno))") }
    }
}

extension FileSystem {
    /// The last `count` bytes of a file, starting at a line boundary.
    static func tail(_ path: String, bytes count: Int) throws(Failure) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else { throw .missing }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw .other(describe(errno)) }
        let start = max(0, Int(st.st_size) - count)
        var buffer = [UInt8](repeating: 0, count: Int(st.st_size) - start)
        let n = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, off_t(start)) }
        guard n >= 0 else { throw .other(describe(errno)) }
        var result = Array(buffer.prefix(n))
        if start > 0, let newline = result.firstIndex(of: 0x0A) { result.removeFirst(newline + 1) }
        return result
    }
}

extension FileSystem {
    /// Each line of a file (without its newline) in order from byte `offset`, read 1 MB at a
    /// time, so that memory stays flat however long the file is; `whole` is false for a last line
    /// without a newline (a write cut short, or one being written). False when it cannot be opened.
    @discardableResult
    static func forEachLine(_ path: String, from offset: Int64 = 0, _ body: (_ line: ArraySlice<UInt8>, _ whole: Bool) -> Void) -> Bool {
        let fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        if offset > 0, lseek(fd, off_t(offset), SEEK_SET) < 0 { return false }
        var pending: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0, errno == EINTR { continue }
            guard n > 0 else { break }
            var start = 0
            for index in 0..<n where chunk[index] == 0x0A {
                if pending.isEmpty {
                    body(chunk[start..<index], true)
                } else {
                    pending += chunk[start..<index]
                    body(pending[...], true)
                    pending.removeAll(keepingCapacity: true)
                }
                start = index + 1
            }
            pending += chunk[start..<n]
        }
        if !pending.isEmpty { body(pending[...], false) }
        return true
    }
}

extension FileSystem.Status {
    init(_ st: stat) {
        let type = st.st_mode & S_IFMT
        self.init(isRegularFile: type == S_IFREG, isDirectory: type == S_IFDIR, isSymbolicLink: type == S_IFLNK,
                  size: Int64(st.st_size),
                  modified: Int64(st.st_mtim.tv_sec) * 1_000_000_000 + Int64(st.st_mtim.tv_nsec),
                  changed: Int64(st.st_ctim.tv_sec) * 1_000_000_000 + Int64(st.st_ctim.tv_nsec))
    }
}
