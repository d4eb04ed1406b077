/// The format information (7.9): the error-correction level and the mask, protected by a
/// BCH(15,5) code and XORed with 0x5412 so that it is never all light, whatever the data.
package enum FormatInformation {
    /// x¹⁰ + x⁸ + x⁵ + x⁴ + x² + x + 1.
    static let generator = 0b101_0011_0111
    static let xorMask = 0b101_0100_0001_0010

    /// The 15 bits, most significant first as the standard numbers them (bit 14 … bit 0).
    package static func bits(errorCorrection: QRCode.ErrorCorrection, mask: Int) -> Int {
        precondition(QRCode.masks.contains(mask))
        let data = errorCorrection.formatBits << 3 | mask
        return (data << 10 | bchRemainder(data << 10, generator: generator)) ^ xorMask
    }
}

/// The version information of versions 7 and up (7.10): the version number protected by a
/// BCH(18,6) code, so that a reader need not guess the version from the symbol's width.
package enum VersionInformation {
    /// x¹² + x¹¹ + x¹⁰ + x⁹ + x⁸ + x⁵ + x² + 1.
    static let generator = 0b1_1111_0010_0101

    /// The 18 bits, most significant first (bit 17 … bit 0).
    package static func bits(version: Int) -> Int {
        precondition((7...40).contains(version), "only versions 7 to 40 carry version information")
        return version << 12 | bchRemainder(version << 12, generator: generator)
    }
}

/// `value` modulo `generator`, both read as polynomials over GF(2) (bit n is xⁿ).
private func bchRemainder(_ value: Int, generator: Int) -> Int {
    func degree(_ polynomial: Int) -> Int { Int.bitWidth - polynomial.leadingZeroBitCount - 1 }
    var remainder = value
    while remainder != 0, degree(remainder) >= degree(generator) {
        remainder ^= generator << (degree(remainder) - degree(generator))
    }
    return remainder
}
