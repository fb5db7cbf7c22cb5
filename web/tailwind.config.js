/** @type {import('tailwindcss').Config} */
export default {
  content: ["./index.html", "./src/**/*.{ts,tsx}"],
  theme: {
    extend: {
      colors: {
        brand: { 50: "#eef6ff", 100: "#d9eaff", 600: "#1f5fbf", 700: "#194c99", 800: "#143d7a" },
      },
    },
  },
  plugins: [],
};
