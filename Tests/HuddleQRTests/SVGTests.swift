import HuddleQR
import Testing

@Suite struct SVGTests {
    /// The rectangles of the path, as (x, y, width) runs: the path is only "M x y h w v1 h-w z".
    private func runs(in svg: String) throws -> [(x: Int, y: Int, width: Int)] {
        let parts = svg.split(separator: " d=\"")
        try #require(parts.count == 2, "one path")
        return try parts[1].prefix { $0 != "\"" }.split(separator: "z").map { command in
            let numbers = command.split(whereSeparator: { "Mhv ".contains($0) }).compactMap { Int($0) }
            try #require(numbers.count == 5 && numbers[3] == 1 && numbers[4] == -numbers[2], "\(command)")
            return (numbers[0], numbers[1], numbers[2])
        }
    }

    @Test func thePathCoversExactlyTheDarkModulesInMaximalRuns() throws {
        let code = try QRCode(text: "https://huddle.example/teams/join/3k9x2a?code=7QX-44B")
        let quiet = 4
        let runs = try self.runs(in: code.svg(moduleSize: 5, quietZone: quiet))
        var covered = Set<[Int]>()
        for run in runs {
            for x in run.x..<run.x + run.width {
                #expect(covered.insert([x - quiet, run.y - quiet]).inserted, "no module twice")
            }
            // Merged: the modules just before and after a run are light (or outside).
            let before = run.x - quiet - 1, after = run.x - quiet + run.width
            #expect(before < 0 || !code.isDark(x: before, y: run.y - quiet))
            #expect(after >= code.size || !code.isDark(x: after, y: run.y - quiet))
        }
        let dark = (0..<code.size).flatMap { y in (0..<code.size).filter { code.isDark(x: $0, y: y) }.map { [$0, y] } }
        #expect(covered == Set(dark))
    }

    @Test func theDocumentIsSizedAndHasABackground() throws {
        let code = try QRCode(text: "size")
        let svg = code.svg(moduleSize: 10, quietZone: 2)
        let side = code.size + 4
        #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(side * 10)\" height=\"\(side * 10)\" viewBox=\"0 0 \(side) \(side)\""))
        #expect(svg.contains("shape-rendering=\"crispEdges\""))
        #expect(svg.contains("<rect width=\"\(side)\" height=\"\(side)\" fill=\"#fff\"/>"))
        #expect(svg.hasSuffix("</svg>\n"))
        #expect(svg.split(separator: "<path").count == 2, "one path")
    }

    @Test func nothingOfTheDataReachesTheDocument() throws {
        let text = "<script>alert('&amp;')</script>\"]]>"
        let svg = try QRCode(text: text).svg()
        #expect(!svg.contains("script") && !svg.contains("&") && !svg.contains("'"))
        // Outside the fixed markup there are only path commands and digits.
        let body = svg.split(separator: " d=\"")[1].prefix { $0 != "\"" }
        #expect(body.allSatisfy { "Mhvz-0123456789 ".contains($0) })
    }
}
