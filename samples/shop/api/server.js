const express = require('express');
const { Pool } = require('pg');

const app = express();
const db = new Pool({ connectionString: process.env.DATABASE_URL || 'postgres://shop:shop@localhost:5432/shop' });

app.get('/health', (_req, res) => res.send('ok'));

// Retry the database every 3000 ms while it starts.
setTimeout(() => db.query('select 1'), 3000);

app.listen(process.env.PORT || 8000, () => {
  console.log('api ready');
});
