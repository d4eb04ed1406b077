import Crypto
import HuddleCore
import HuddleGateway
import HuddleQR
import Hummingbird
import NIOCore

/// Seed 001's tournament team draw: channel `tournament:{id}` is served by the gateway's stream
/// app over ``TournamentState``; the HTTP API (docs/PROTOCOL.md) creates, lists and reads
/// tournaments, renders the join link as a QR code, and joins, picks and draws, decided exactly
/// as over the WebSocket.
///
/// A name is claimed on its own stream (``TournamentName``) before the tournament is listed
/// in its organiser's listing (``TournamentIndex``) and started, so creates of one name race
/// safely and creates of different names do not wait for each other.
struct TeamsRoutes: AppRoutes {
    let app: StreamApp<TournamentState>
    let names = StateCache<TournamentName>(limit: 10_000)
    let listings = StateCache<TournamentIndex>(limit: 10_000)
    /// A guest who creates or joins gets a longer-lived token: their page resumes as them.
    let passes: @Sendable (Identity) async throws -> SessionAuthority.Grant?
    let origin: PublicOrigin
    let creations: AnonymousCreations

    var channelApp: any ChannelApp { self.app }

    func register(on router: Router<AppRequestContext>) {
        let tournaments = router.group("api/v1/tournaments")
        tournaments.post { request, context in
            let identity = try context.requireIdentity()
            // Before anything is written: a request whose link cannot be made is refused whole.
            let origin = try self.origin.origin(of: request, context)
            let input = try await request.decode(as: FieldReader.self, context: context)
            try self.creations.admit(request, context)
            let id: String
            do {
                id = try await self.create(try input.tournamentSettings(), by: identity)
            } catch let taken as CommandRejection where taken.code == .nameTaken {
                throw APIError(.conflict, code: taken.code.rawValue, taken.message, fields: ["name": "Already taken: choose another name."])
            }
            return try await self.answer(id, origin: origin, status: .created, passFor: identity)
        }
        tournaments.get { request, context in
            let identity = try context.requireIdentity()
            let limit = try request.listLimit()
            return try JSONResponse.make(TournamentList(tournaments: try await self.list(for: identity, limit: limit)))
        }
        tournaments.get("{id}") { request, context in
            let (id, _) = try await self.existing(context)
            return try await self.answer(id, origin: try self.origin.origin(of: request, context))
        }
        tournaments.get("{id}/clubs") { _, context in
            let (_, state) = try await self.existing(context)
            return try JSONResponse.make(ClubList(state))
        }
        tournaments.get("{id}/qr.svg") { request, context in
            let (id, _) = try await self.existing(context)
            let link = Self.joinURL(id, origin: try self.origin.origin(of: request, context))
            guard let code = try? QRCode(bytes: Array(link.utf8), errorCorrection: .medium) else {
                throw APIError(.internalServerError, "The join link is too long for a QR code; the operator can shorten public-url.")
            }
            var headers = HTTPFields()
            headers[.contentType] = "image/svg+xml"
            headers[.cacheControl] = "no-store"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: code.svg(moduleSize: 8))))
        }
        tournaments.post("{id}/players") { request, context in
            let identity = try context.requireIdentity()
            let (id, channel) = try self.tournament(context)
            let origin = try self.origin.origin(of: request, context)
            let input = try await request.decode(as: FieldReader.self, context: context)
            let player = try input.player()
            let stored = try await self.app.run(.join(name: player.name, surname: player.surname), on: channel, as: identity)
            let playerId = TournamentEvent(name: stored.name, data: stored.data).flatMap {
                if case .playerJoined(let playerId, _, _, _) = $0 { playerId } else { nil }
            }
            return try await self.answer(id, origin: origin, status: .created, passFor: identity, playerId: playerId)
        }
        tournaments.post("{id}/picks") { request, context in
            let identity = try context.requireIdentity()
            let (id, channel) = try self.tournament(context)
            let origin = try self.origin.origin(of: request, context)
            let club = try await request.decode(as: FieldReader.self, context: context).club()
            _ = try await self.app.run(.pick(club: club, playerId: nil), on: channel, as: identity)
            return try await self.answer(id, origin: origin)
        }
        tournaments.post("{id}/draw") { request, context in
            let identity = try context.requireIdentity()
            let (id, channel) = try self.tournament(context)
            let origin = try self.origin.origin(of: request, context)
            _ = try await self.app.run(.draw, on: channel, as: identity)
            return try await self.answer(id, origin: origin)
        }
    }

    /// Claims the name, lists the tournament and starts its stream; returns its id.
    func create(_ settings: TournamentSettings, by organiser: Identity) async throws -> String {
        let stream = TournamentName.stream(digest: SHA256.hex(of: TournamentName.key(settings.name)))
        var attempts = 0
        while true {
            let name = try await self.names.latest(of: stream, in: self.app.log)
            let creation = try name.decide(creating: settings, id: RandomID.make(), by: organiser)
            if let claim = creation.claim {
                do {
                    _ = try await self.app.log.append(claim, to: stream, expecting: .exactly(0))
                } catch EventStoreError.conflict {
                    // Someone claimed it first: fold their claim and decide again.
                    attempts += 1
                    guard attempts < 3 else { throw CommandRejection(.conflict, "the name kept changing hands; try again") }
                    continue
                }
            }
            guard let channel = self.app.channel(creation.id) else { throw CommandRejection(.internalError, "bad id") }
            // Listed and started together (one commit, usually): should the listing fail, the
            // create fails, and the organiser's retry lists it when resuming the claim.
            async let listed = self.app.log.append(creation.listing, to: TournamentIndex.stream(of: organiser.id), expecting: .any)
            do {
                _ = try await self.app.start(channel, with: creation.created)
                _ = try await listed
            } catch EventStoreError.conflict {
                // The organiser creating the same name again: it exists, under the name they held.
                throw CommandRejection(.nameTaken, "there is already a tournament called \(name.claim?.name ?? settings.name)")
            }
            return creation.id
        }
    }

    /// The tournaments `identity` organises, newest first, at most `limit`.
    func list(for identity: Identity, limit: Int) async throws -> [TournamentSummary] {
        let index = try await self.listings.latest(of: TournamentIndex.stream(of: identity.id), in: self.app.log)
        var found: [TournamentSummary] = []
        for entry in index.newestFirst(of: identity.id) where found.count < limit {
            guard let channel = self.app.channel(entry.id),
                let view = TournamentView(id: entry.id, try await self.app.state(of: channel))
            else { continue }
            found.append(TournamentSummary(view))
        }
        return found
    }

    /// The tournament as the API answers it, with its join link, and a pass for a guest when
    /// `passFor` is one.
    private func answer(
        _ id: String, origin: String, status: HTTPResponse.Status = .ok, passFor identity: Identity? = nil,
        playerId: String? = nil
    ) async throws -> Response {
        guard let channel = self.app.channel(id), let view = TournamentView(id: id, try await self.app.state(of: channel)) else {
            throw APIError(.notFound, "There is no tournament \(id).")
        }
        var pass: GrantBody?
        if let identity, let grant = try await self.passes(identity) { pass = GrantBody(grant) }
        let body = TournamentBody(view: view, joinUrl: Self.joinURL(id, origin: origin), playerId: playerId, pass: pass)
        return try JSONResponse.make(body, status: status)
    }

    private static func joinURL(_ id: String, origin: String) -> String {
        origin + "/tournament.html?id=" + id
    }

    private func tournament(_ context: AppRequestContext) throws -> (String, ChannelName) {
        let id = context.parameters.get("id") ?? ""
        guard let channel = self.app.channel(id) else { throw APIError(.badRequest, "Not a tournament id.") }
        return (id, channel)
    }

    private func existing(_ context: AppRequestContext) async throws -> (String, TournamentState) {
        let (id, channel) = try self.tournament(context)
        let state = try await self.app.state(of: channel)
        guard state.exists else { throw APIError(.notFound, "There is no tournament \(id).") }
        return (id, state)
    }
}
