/// The Reed–Solomon error-correction codewords of one block (ISO/IEC 18004, 7.5.2).
package enum ReedSolomon {
    /// The generator polynomial (x − α⁰)(x − α¹)…(x − αⁿ⁻¹) for n = `degree`, as n + 1
    /// coefficients from xⁿ (always 1) down to the constant term.
    package static func generator(degree: Int) -> [UInt8] {
        var polynomial: [UInt8] = [1]
        for i in 0..<degree {
            // p(x)·(x + αⁱ): p shifted up one degree, plus αⁱ·p (in GF(2⁸), minus is plus).
            let root = GaloisField.power(i)
            var product = polynomial + [0]
            for j in 1..<product.count {
                product[j] ^= GaloisField.multiply(polynomial[j - 1], root)
            }
            polynomial = product
        }
        return polynomial
    }

    /// The remainder of data(x)·xⁿ divided by `generator` (n = its degree): the block's
    /// error-correction codewords, highest degree first.
    package static func remainder(of data: [UInt8], generator: [UInt8]) -> [UInt8] {
        let degree = generator.count - 1
        var remainder = [UInt8](repeating: 0, count: degree)
        for codeword in data {
            // One step of polynomial long division, as a shift register.
            let factor = codeword ^ remainder[0]
            remainder.removeFirst()
            remainder.append(0)
            for j in 0..<degree {
                remainder[j] ^= GaloisField.multiply(generator[j + 1], factor)
            }
        }
        return remainder
    }
}
