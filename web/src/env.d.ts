// Imports the bundler (esbuild) understands beyond TypeScript's: a stylesheet becomes app.css.
declare module '*.css';
