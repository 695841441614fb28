import * as Comlink from 'comlink';
import { createSemanticService } from '../src/db/semantic-service';

Comlink.expose(createSemanticService());
