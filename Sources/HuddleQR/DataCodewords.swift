/// The codeword sequence of a byte-mode symbol: the data bit stream with its padding
/// (ISO/IEC 18004, 7.4), split into blocks, each block's Reed–Solomon codewords appended,
/// and all of it interleaved (7.6).
package enum DataCodewords {
    /// The mode indicator of byte mode (Table 2).
    static let byteMode = 0b0100

    /// The pad codewords that fill unused data capacity, alternately (7.4.10).
    static let padCodewords: [UInt8] = [0xEC, 0x11]

    /// Bits of the character count indicator of byte mode (Table 3): it grows with the
    /// versions whose capacity needs a wider count.
    package static func countBits(version: Int) -> Int {
        version <= 9 ? 8 : 16
    }

    /// The most bytes that fit one version at one level.
    package static func byteCapacity(_ layout: BlockLayout, version: Int) -> Int {
        (layout.dataCodewords * 8 - 4 - countBits(version: version)) / 8
    }

    /// The data codewords (`layout.dataCodewords` of them) that carry `bytes`: mode, count,
    /// the bytes, a terminator of up to four zero bits, zero bits to the byte boundary, then
    /// pad codewords. The caller has checked that the bytes fit.
    package static func data(_ bytes: [UInt8], version: Int, layout: BlockLayout) -> [UInt8] {
        precondition(bytes.count <= byteCapacity(layout, version: version), "the caller checks capacity")
        var stream = BitStream()
        stream.append(byteMode, bits: 4)
        stream.append(bytes.count, bits: countBits(version: version))
        for byte in bytes { stream.append(Int(byte), bits: 8) }
        let capacityBits = layout.dataCodewords * 8
        stream.append(0, bits: min(4, capacityBits - stream.count))
        stream.append(0, bits: (8 - stream.count % 8) % 8)
        let padCount = layout.dataCodewords - stream.bytes.count
        return stream.bytes + (0..<padCount).map { padCodewords[$0 % 2] }
    }

    /// The final message: the data split into blocks (short ones first), error correction
    /// computed per block, then the data codewords taken column by column across the blocks,
    /// followed likewise by the error-correction codewords. Interleaving spreads a burst of
    /// damage over several blocks.
    package static func interleaved(_ data: [UInt8], layout: BlockLayout) -> [UInt8] {
        precondition(data.count == layout.dataCodewords)
        let generator = ReedSolomon.generator(degree: layout.ecCodewordsPerBlock)
        var dataBlocks: [ArraySlice<UInt8>] = []
        var start = 0
        for index in 0..<layout.blockCount {
            let length = layout.shortBlockDataCodewords + (index < layout.shortBlockCount ? 0 : 1)
            dataBlocks.append(data[start..<start + length])
            start += length
        }
        let ecBlocks = dataBlocks.map { ReedSolomon.remainder(of: Array($0), generator: generator) }

        var message: [UInt8] = []
        message.reserveCapacity(layout.totalCodewords)
        for column in 0...layout.shortBlockDataCodewords {
            for block in dataBlocks where column < block.count {
                message.append(block[block.startIndex + column])
            }
        }
        for column in 0..<layout.ecCodewordsPerBlock {
            for block in ecBlocks { message.append(block[column]) }
        }
        return message
    }
}

/// Bits appended most significant first, packed into bytes.
struct BitStream {
    private(set) var bytes: [UInt8] = []
    private(set) var count = 0

    mutating func append(_ value: Int, bits: Int) {
        precondition(bits >= 0 && (bits == 0 || value >> bits == 0), "\(value) does not fit \(bits) bits")
        for shift in stride(from: bits - 1, through: 0, by: -1) {
            if self.count % 8 == 0 { self.bytes.append(0) }
            if (value >> shift) & 1 == 1 {
                self.bytes[self.bytes.count - 1] |= 0x80 >> UInt8(self.count % 8)
            }
            self.count += 1
        }
    }
}
