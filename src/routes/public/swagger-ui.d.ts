/** Swagger UI's files bundled as text modules (wrangler.toml [[rules]] type "Text") and served from /api/docs. */
declare module 'swagger-ui-dist/swagger-ui-bundle.js' {
  const text: string;
  export default text;
}
declare module 'swagger-ui-dist/swagger-ui.css' {
  const text: string;
  export default text;
}
