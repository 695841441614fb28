import * as Comlink from 'comlink';
import { createDuckDbService } from '../src/db/duckdb-service';

Comlink.expose(createDuckDbService());
