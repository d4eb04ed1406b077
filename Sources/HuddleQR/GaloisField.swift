/// Arithmetic in GF(2⁸) built on the QR code's field polynomial x⁸ + x⁴ + x³ + x² + 1 (0x11D),
/// with α = 2 as the generator (ISO/IEC 18004, 7.5.2).
///
/// Addition is XOR; multiplication goes through logarithm tables, which is why the
/// exponent table is doubled: a sum of two logarithms (at most 254 + 254) indexes it
/// without a modulo.
package enum GaloisField {
    /// `exponents[i]` is αⁱ, for i in 0..<510.
    static let exponents: [UInt8] = {
        var table = [UInt8](repeating: 0, count: 510)
        var value = 1
        for i in 0..<255 {
            table[i] = UInt8(value)
            table[i + 255] = UInt8(value)
            value <<= 1
            if value & 0x100 != 0 { value ^= 0x11D }
        }
        return table
    }()

    /// `logarithms[v]` is i where αⁱ = v, for v in 1...255 (`logarithms[0]` is unused).
    static let logarithms: [Int] = {
        var table = [Int](repeating: 0, count: 256)
        for i in 0..<255 { table[Int(exponents[i])] = i }
        return table
    }()

    /// αⁿ for any n ≥ 0.
    package static func power(_ n: Int) -> UInt8 {
        exponents[n % 255]
    }

    /// The i with αⁱ = `value`; `value` must not be 0.
    package static func logarithm(_ value: UInt8) -> Int {
        precondition(value != 0, "0 has no logarithm")
        return logarithms[Int(value)]
    }

    package static func multiply(_ a: UInt8, _ b: UInt8) -> UInt8 {
        if a == 0 || b == 0 { return 0 }
        return exponents[logarithms[Int(a)] + logarithms[Int(b)]]
    }
}
