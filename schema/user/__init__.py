"""Studio users: the User type, the admins' list and the admins' mutations."""
