/// The eight data masks (7.8.2, Table 10). A mask inverts the data modules where its
/// condition holds for the module's row i and column j, to break up patterns a reader
/// could mistake for finders and to balance dark and light.
package enum DataMask {
    package static func inverts(_ mask: Int, row i: Int, column j: Int) -> Bool {
        switch mask {
        case 0: (i + j) % 2 == 0
        case 1: i % 2 == 0
        case 2: j % 3 == 0
        case 3: (i + j) % 3 == 0
        case 4: (i / 2 + j / 3) % 2 == 0
        case 5: (i * j) % 2 + (i * j) % 3 == 0
        case 6: ((i * j) % 2 + (i * j) % 3) % 2 == 0
        case 7: ((i + j) % 2 + (i * j) % 3) % 2 == 0
        default: preconditionFailure("mask \(mask) is not 0...7")
        }
    }
}
