// The baseline for bench/commands: express parsing a JSON body and answering a constant.
import express from 'express';

const app = express();
app.disable('x-powered-by');
app.use(express.json());
app.post('/playback/:sessionId/progress', (req, res) => {
  res.json({ sessionId: req.params.sessionId, positionSeconds: req.body.positionSeconds });
});
const server = app.listen(0, '127.0.0.1', () => {
  const address = server.address();
  console.log(`listening ${typeof address === 'object' && address ? address.port : ''}`);
});
process.once('SIGTERM', () => server.close(() => process.exit(0)));
