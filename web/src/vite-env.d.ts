/// <reference types="vite/client" />

declare module 'virtual:redoc-standalone' {
  const url: string
  export default url
}
