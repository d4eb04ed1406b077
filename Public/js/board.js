/**
 * The Board app (seed 000): `board.html` lists boards; `board.html?id=X` is board X, live on
 * channel `board:X` (docs/PROTOCOL.md, "The Board app").
 * @module board
 */
import './header.js';
import { sessionReady } from './board-api.js';
import { $ } from './board-ui.js';
import { startList } from './board-list.js';
import { startBoard } from './board-canvas.js';

sessionReady();

const id = new URLSearchParams(location.search).get('id');
if (id === null || id === '') startList();
else startBoard(id);
