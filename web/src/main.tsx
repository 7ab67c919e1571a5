// The console's entry point, bundled by the server (src/console/bundle.ts) into /console/assets/app.js and app.css.
import { render } from 'preact';
import { App } from './app.tsx';
import './styles.css';

render(<App />, document.getElementById('app')!);
