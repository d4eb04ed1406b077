#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ArgumentParser

/// Load generators hold thousands of sockets: the soft limit on open files (often 1024) is
/// raised to the hard limit.
enum OpenFiles {
    /// The soft limit after raising it.
    @discardableResult static func raiseLimit() -> Int {
        var limit = rlimit()
        guard getrlimit(RLIMIT_NOFILE_VALUE, &limit) == 0 else { return -1 }
        if limit.rlim_cur < limit.rlim_max {
            limit.rlim_cur = limit.rlim_max
            _ = setrlimit(RLIMIT_NOFILE_VALUE, &limit)
            _ = getrlimit(RLIMIT_NOFILE_VALUE, &limit)
        }
        return Int(limit.rlim_cur)
    }

    #if canImport(Glibc)
    private static let RLIMIT_NOFILE_VALUE = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
    #else
    private static let RLIMIT_NOFILE_VALUE = RLIMIT_NOFILE
    #endif
}

extension BenchTarget {
    /// `--url` options as targets, or a usage error.
    static func parse(_ urls: [String]) throws -> [BenchTarget] {
        guard !urls.isEmpty else { throw ValidationError("give at least one --url") }
        return try urls.map { url in
            guard let target = BenchTarget(url: url) else { throw ValidationError("--url must be http://host:port, not \(url)") }
            return target
        }
    }
}
