-- AlterEnum
ALTER TYPE "usage_kind" ADD VALUE 'assembly_seats';
