/**
 * The Teams app's live page (seed 001): `tournament.html?id=X` is tournament X, live on
 * channel `tournament:X` (docs/PROTOCOL.md, "The Teams app"). teams-live.js holds it.
 * @module tournament
 */
import './header.js';
import { sessionReady } from './teams-api.js';
import { startTournament } from './teams-live.js';

sessionReady();
startTournament(new URLSearchParams(location.search).get('id') ?? '');
